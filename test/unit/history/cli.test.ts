import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { createTestCache, entry } from '../../helpers/temp-cache';
import { T0, routeLife } from './fixtures';

const PASSPHRASE = 'test passphrase';
let test: ReturnType<typeof createTestCache>;

beforeAll(() => {
  test = createTestCache(
    [
      ...routeLife(),
      // Two resources once named the same: a name alone is then ambiguous.
      entry({ id: 'n1', event_time: T0 - 5000, event_type: 'AddService', resource_id: 's-1', resource_name: 'shared', http_request: { method: 'POST', uri: '/s', body: { name: 'shared' } } }),
      entry({ id: 'n2', event_time: T0 - 4000, event_type: 'AddService', resource_id: 's-2', resource_name: 'shared', http_request: { method: 'POST', uri: '/s', body: { name: 'shared' } } }),
    ],
    PASSPHRASE,
  );
  test.cache.close();
});
afterAll(() => test.remove());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  delete process.env.AUDIT_REVIEW_PASSPHRASE;
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  process.env.AUDIT_REVIEW_PASSPHRASE = PASSPHRASE;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await runCli(args);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out: stdout, err: stderr };
}

describe('audit-review history', () => {
  it('prints the history with +/-/~ diff lines', async () => {
    const result = await cli(['history', '--cache', test.dir, '--resource', 'r-1042']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Resource r-1042 (payments, payments-v2): 7 changes');
    expect(result.out).toContain('    + paths[1]: "/v2/pay/*"');
    expect(result.out).toContain('    ~ upstream.nodes[0].host: "10.0.0.1" → "10.0.0.2"');
    expect(result.out).toContain('    - desc: "hotfix"');
  });

  it('prints JSON with --json, and accepts a name for the id', async () => {
    const result = await cli(['history', '--cache', test.dir, '--resource', 'payments-v2', '--json', '--limit', '3']);
    expect(result.code).toBe(0);
    const history = JSON.parse(result.out);
    expect(history).toMatchObject({ resource_id: 'r-1042', total: 7, truncated: true });
    expect(history.changes.map((c: { id: string }) => c.id)).toEqual(['e5', 'e6', 'e7']);
  });

  it('prints the state at a moment with --at', async () => {
    const result = await cli(['history', '--cache', test.dir, '--resource', 'r-1042', '--at', '2026-11-20T13:57:00Z', '--json']);
    expect(JSON.parse(result.out)).toMatchObject({ exists: true, as_of: { id: 'e2' }, state: { paths: ['/pay/*', '/v2/pay/*'] } });
    const text = await cli(['history', '--cache', test.dir, '--resource', 'r-1042', '--at', '2026-11-20T14:01']);
    expect(text.out).toContain('did not exist at 2026-11-20T14:01:00Z (deleted, as of DeleteRoute by "jane"');
  });

  it('says what to do for unknown, ambiguous or badly typed input', async () => {
    const unknown = await cli(['history', '--cache', test.dir, '--resource', 'r-nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no resource with id or name "r-nope"');
    const ambiguous = await cli(['history', '--cache', test.dir, '--resource', 'shared']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toMatch(/several resources have been named "shared": s-[12], s-[12]/);
    const badTime = await cli(['history', '--cache', test.dir, '--resource', 'r-1042', '--at', 'noon']);
    expect(badTime.code).toBe(2);
    expect(badTime.err).toContain('is not a moment');
  });
});

describe('audit-review around', () => {
  it('prints the changes around a moment, grouped, and the same as JSON', async () => {
    const text = await cli(['around', '--cache', test.dir, '--time', '2026-11-20T14:00', '--minutes', '5']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Configuration changes from 2026-11-20T13:55:00Z to 2026-11-20T14:05:00Z');
    expect(text.out).toContain('By resource:');
    expect(text.out).toContain('jane: 5 changes, 1 failed on 1 resource');

    const json = await cli(['around', '--cache', test.dir, '--time', '2026-11-20T15:00+01:00', '--minutes', '5', '--json']);
    const around = JSON.parse(json.out);
    expect(around).toMatchObject({ time: T0, total: 7, failed: 1 });
  });

  it('takes the moment from a record with --record, and defaults to 30 minutes', async () => {
    const result = await cli(['around', '--cache', test.dir, '--record', 'e6', '--json']);
    expect(JSON.parse(result.out)).toMatchObject({ time: T0, minutes: 30, from: T0 - 1800, to: T0 + 1800, total: 8 });
  });

  it('refuses unclear input', async () => {
    expect((await cli(['around', '--cache', test.dir])).code).toBe(2);
    expect((await cli(['around', '--cache', test.dir, '--time', '2026-11-20T14:00', '--minutes', '-3'])).code).toBe(2);
    const missing = await cli(['around', '--cache', test.dir, '--record', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('record "nope" is not in this cache');
  });
});
