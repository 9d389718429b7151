import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryHandlers } from '../../../main/core/app/history-handlers';
import { historyMethods } from '../../../preload/contract/history';
import { createTestCache } from '../../helpers/temp-cache';
import { T0, routeLife } from './fixtures';

let test: ReturnType<typeof createTestCache>;
beforeAll(() => {
  test = createTestCache(routeLife());
});
afterAll(() => test.remove());

/** Calls a handler the way the dispatcher does: validated input in, validated output out. */
async function call<M extends keyof typeof historyMethods>(handlers: ReturnType<typeof createHistoryHandlers>, name: M, input: unknown) {
  const spec = historyMethods[name];
  const parsed = spec.input.parse(input);
  const value = await (handlers[name] as (i: unknown) => unknown)(parsed);
  return spec.output.parse(value);
}

describe('history handlers', () => {
  it('serve history, state and changes around a time or a record, within the contract', async () => {
    const handlers = createHistoryHandlers({ reader: () => test.cache.db });
    const history = await call(handlers, 'history.resource', { resourceId: 'r-1042' });
    expect(history).toMatchObject({ total: 7, truncated: false });
    const state = await call(handlers, 'history.stateAt', { resourceId: 'r-1042', time: T0 - 1 });
    expect(state).toMatchObject({ exists: true, as_of: { id: 'e5' } });
    const byTime = await call(handlers, 'history.around', { time: T0, minutes: 5 });
    const byRecord = await call(handlers, 'history.around', { recordId: 'e6', minutes: 5 });
    expect(byRecord).toEqual(byTime);
    expect(byTime).toMatchObject({ total: 7, from: T0 - 300, to: T0 + 300 });
  });

  it('say the cache is locked when no reader is open', () => {
    const handlers = createHistoryHandlers({ reader: () => null });
    expect(() => handlers['history.resource']({ resourceId: 'r-1', limit: 10 })).toThrow(expect.objectContaining({ code: 'locked' }));
  });

  it('say a record is missing rather than guessing a time', () => {
    const handlers = createHistoryHandlers({ reader: () => test.cache.db });
    expect(() => handlers['history.around']({ recordId: 'nope', minutes: 30 })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('validate input: exactly one of time or recordId, bounded minutes and limit', () => {
    const around = historyMethods['history.around'].input;
    expect(around.safeParse({ minutes: 5 }).success).toBe(false);
    expect(around.safeParse({ time: T0, recordId: 'e1' }).success).toBe(false);
    expect(around.safeParse({ time: T0, minutes: 100_000 }).success).toBe(false);
    expect(around.parse({ time: T0 })).toEqual({ time: T0, minutes: 30 });
    expect(historyMethods['history.resource'].input.safeParse({ resourceId: '' }).success).toBe(false);
    expect(historyMethods['history.resource'].input.parse({ resourceId: 'r-1' })).toEqual({ resourceId: 'r-1', limit: 500 });
  });
});
