import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addTag,
  bulkAnnotate,
  currentFor,
  getBatch,
  historyFor,
  listBatches,
  removeTag,
  setStatus,
  undoBatch,
  type BulkProgress,
} from '../../../main/core/annotations';
import { addFinding, reviewCache, stateVersusHistory, tickingClock } from '../../unit/annotations/fixtures';

const record = (id: string) => ({ kind: 'record' as const, id });
const tagged = (db: import('better-sqlite3-multiple-ciphers').Database, tag: string) =>
  db.prepare("SELECT target_id FROM annotation_state WHERE kind = 'tag' AND value = ? ORDER BY target_id").pluck().all(tag) as string[];

describe('bulk annotation and its one-step undo', () => {
  let fixture: ReturnType<typeof reviewCache>;
  beforeEach(() => {
    fixture = reviewCache(23);
  });
  afterEach(() => fixture.remove());

  it('tags every record a filter matches, in chunks with progress, and records the batch', async () => {
    const db = fixture.cache.db;
    addTag(db, record('r-0002'), 'mass-delete', { author: 'bob', now: () => 1_764_999_000 });
    const progress: BulkProgress[] = [];
    const result = await bulkAnnotate(db, {
      targets: { filter: { eventTypes: ['DeleteRoute'] } },
      action: { type: 'addTag', tag: 'mass-delete' },
      author: 'alice',
      now: tickingClock(),
      chunkSize: 4,
      onProgress: (p) => progress.push(p),
    });
    // 11 DeleteRoute records (even ids); r-0002 already had the tag, so 10 change.
    expect(result).toMatchObject({ total: 11, affected: 10, missing: 0, cancelled: false });
    expect(progress.map((p) => p.done)).toEqual([0, 4, 8, 11]);
    expect(progress.every((p) => p.total === 11 && p.batchId === result.batchId)).toBe(true);
    expect(tagged(db, 'mass-delete')).toHaveLength(11);
    const batch = getBatch(db, result.batchId)!;
    expect(batch).toMatchObject({ action: 'addTag', value: 'mass-delete', author: 'alice', total: 11, affected: 10, cancelled: false, undone_by: null });
    expect(batch.scope).toEqual({ filter: { eventTypes: ['DeleteRoute'] } });
    expect(batch.finished_at).not.toBeNull();
  });

  it('undo puts every target back as it was — pre-existing tags stay — and history keeps both steps', async () => {
    const db = fixture.cache.db;
    const alice = { author: 'alice', now: tickingClock() };
    addTag(db, record('r-0002'), 'mass-delete', alice);
    const { batchId } = await bulkAnnotate(db, { targets: { filter: { eventTypes: ['DeleteRoute'] } }, action: { type: 'addTag', tag: 'mass-delete' }, author: 'alice', now: alice.now, chunkSize: 3 });
    const undo = await undoBatch(db, batchId, alice, { chunkSize: 4 });
    expect(undo).toMatchObject({ undone: batchId, restored: 10, skipped: 0 });
    expect(tagged(db, 'mass-delete')).toEqual(['r-0002']);
    expect(historyFor(db, record('r-0004')).map((v) => [v.value, v.deleted])).toEqual([
      ['mass-delete', false],
      ['mass-delete', true],
    ]);
    expect(getBatch(db, batchId)!.undone_by).toBe(undo.batchId);
    await expect(undoBatch(db, batchId, alice)).rejects.toMatchObject({ code: 'conflict' });
    await expect(undoBatch(db, undo.batchId, alice)).rejects.toMatchObject({ code: 'conflict' });
    expect(stateVersusHistory(db).stored).toEqual(stateVersusHistory(db).derived);
  });

  it('bulk status with a reason, then undo restores each previous status and removes the reasons', async () => {
    const db = fixture.cache.db;
    const alice = { author: 'alice', now: tickingClock() };
    setStatus(db, record('r-0001'), 'escalated', alice);
    setStatus(db, record('r-0003'), 'false positive', alice);
    const { batchId, affected } = await bulkAnnotate(db, {
      targets: { ids: ['r-0001', 'r-0002', 'r-0003', 'r-0003', 'r-9999'] },
      action: { type: 'setStatus', status: 'false positive', reason: 'scheduled migration, ticket CHG-1042' },
      author: 'alice',
      now: alice.now,
    });
    expect(affected).toBe(2);
    expect(currentFor(db, record('r-0001')).comments.map((c) => c.value)).toEqual(['scheduled migration, ticket CHG-1042']);
    // r-0003 already was a false positive: no status change and no duplicate reason.
    expect(currentFor(db, record('r-0003')).comments).toEqual([]);
    await undoBatch(db, batchId, alice);
    expect(currentFor(db, record('r-0001'))).toMatchObject({ status: { value: 'escalated' }, comments: [] });
    expect(currentFor(db, record('r-0002')).status).toBeNull();
    expect(currentFor(db, record('r-0003')).status?.value).toBe('false positive');
  });

  it('undo leaves alone what someone changed after the batch', async () => {
    const db = fixture.cache.db;
    const alice = { author: 'alice', now: tickingClock() };
    const { batchId } = await bulkAnnotate(db, { targets: { ids: ['r-0001', 'r-0002'] }, action: { type: 'addTag', tag: 'check' }, author: 'alice', now: alice.now });
    removeTag(db, record('r-0002'), 'check', { author: 'bob', now: alice.now });
    addTag(db, record('r-0002'), 'check', { author: 'bob', now: alice.now });
    const undo = await undoBatch(db, batchId, alice);
    expect(undo).toMatchObject({ restored: 1, skipped: 1 });
    expect(tagged(db, 'check')).toEqual(['r-0002']);
  });

  it('a cancelled bulk action keeps what it committed, says so, and can be undone', async () => {
    const db = fixture.cache.db;
    const controller = new AbortController();
    const result = await bulkAnnotate(db, {
      targets: { filter: {} },
      action: { type: 'addTag', tag: 'partial' },
      author: 'alice',
      now: tickingClock(),
      chunkSize: 5,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 10) controller.abort();
      },
    });
    expect(result).toMatchObject({ total: 23, affected: 10, cancelled: true });
    expect(getBatch(db, result.batchId)).toMatchObject({ cancelled: true, affected: 10 });
    expect(tagged(db, 'partial')).toHaveLength(10);
    await undoBatch(db, result.batchId, { author: 'alice', now: () => 1_766_000_000 });
    expect(tagged(db, 'partial')).toEqual([]);
  });

  it('works on findings by id, refuses an empty selection and invalid actions before writing', async () => {
    const db = fixture.cache.db;
    addFinding(db, 'f-1', ['r-0001']);
    addFinding(db, 'f-2', ['r-0002']);
    const result = await bulkAnnotate(db, { targets: { ids: ['f-1', 'f-2'], kind: 'finding' }, action: { type: 'setStatus', status: 'reviewed' }, author: 'alice', now: tickingClock() });
    expect(result.affected).toBe(2);
    expect(currentFor(db, { kind: 'finding', id: 'f-2' }).status?.value).toBe('reviewed');
    await expect(bulkAnnotate(db, { targets: { filter: { operators: ['nobody'] } }, action: { type: 'addTag', tag: 'x' }, author: 'alice', now: tickingClock() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(bulkAnnotate(db, { targets: { ids: ['r-0001'] }, action: { type: 'addTag', tag: 'a,b' }, author: 'alice', now: tickingClock() })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(listBatches(db)).toHaveLength(1);
  });

  it('a filter that its own action changes is resolved once, up front', async () => {
    const db = fixture.cache.db;
    // Without a snapshot, records would drop out of "-tag" filters while being tagged, and progress would lie.
    const result = await bulkAnnotate(db, { targets: { filter: { reviewStatuses: ['unreviewed'] } }, action: { type: 'setStatus', status: 'reviewed' }, author: 'alice', now: tickingClock(), chunkSize: 2 });
    expect(result).toMatchObject({ total: 23, affected: 23 });
  });
});
