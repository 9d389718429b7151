import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3-multiple-ciphers';
import { appendCustody, listCustody, verifyCustodyChain, verifyCustodyEntries, custodyHash, CUSTODY_GENESIS } from '../../../main/core/custody';
import { freshDb } from './fresh-db';

let db: Database.Database;
afterEach(() => db?.close());

function seed(n: number): void {
  const actions = ['sign-in', 'sync', 'annotation', 'export'];
  for (let i = 0; i < n; i++) appendCustody(db, { actor: 'auditor', action: actions[i % actions.length]!, details: { i, note: `n${i}` }, at: 1_764_000_000 + i });
}

/** Tampering needs the triggers out of the way, as someone holding the key could do. */
function tamper(sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER custody_no_update; DROP TRIGGER custody_no_delete;');
  db.prepare(sql).run(...params);
}

describe('chain of custody', () => {
  it('appends hash-chained entries: seq 1..n, each prev_hash is the previous hash, hash recomputes', () => {
    db = freshDb();
    const first = appendCustody(db, { actor: 'auditor', action: 'sync', details: { records: 10 }, at: 100 });
    const second = appendCustody(db, { actor: 'auditor', action: 'export', details: { b: 2, a: 1 }, at: 101 });
    expect(first.seq).toBe(1);
    expect(first.prev_hash).toBe(CUSTODY_GENESIS);
    expect(second.prev_hash).toBe(first.hash);
    expect(second.hash).toBe(custodyHash(first.hash, { seq: 2, at: 101, actor: 'auditor', action: 'export', details: { a: 1, b: 2 } }));
    expect(verifyCustodyChain(db)).toEqual({ ok: true, entries: 2, head: second.hash });
    expect(listCustody(db)).toEqual([first, second]);
  });

  it('lists by time and action', () => {
    db = freshDb();
    seed(8);
    expect(listCustody(db, { actions: ['export'] }).map((e) => e.seq)).toEqual([4, 8]);
    expect(listCustody(db, { since: 1_764_000_005 }).map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(listCustody(db, { actions: [] })).toEqual([]);
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    db = freshDb();
    seed(2);
    expect(() => db.prepare("UPDATE custody SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM custody WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('detects an edited entry, naming the first broken seq', () => {
    db = freshDb();
    seed(5);
    tamper("UPDATE custody SET details = '{\"i\":99}' WHERE seq = 3");
    const result = verifyCustodyChain(db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: 3, reason: expect.stringMatching(/edited/) });
  });

  it('detects an entry removed from the middle and from the end', () => {
    db = freshDb();
    seed(5);
    tamper('DELETE FROM custody WHERE seq = 2');
    expect(verifyCustodyChain(db).firstBroken).toEqual({ seq: 2, reason: expect.stringMatching(/missing/) });
    db.close();
    db = freshDb();
    seed(5);
    tamper('DELETE FROM custody WHERE seq = 5');
    expect(verifyCustodyChain(db)).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: expect.stringMatching(/removed from the end/) } });
  });

  it('detects a re-hashed edit (hash recomputed but the next link no longer matches)', () => {
    db = freshDb();
    seed(4);
    const row = listCustody(db)[1]!;
    const forged = custodyHash(row.prev_hash, { ...row, actor: 'mallory' });
    tamper("UPDATE custody SET actor = 'mallory', hash = ? WHERE seq = 2", forged);
    expect(verifyCustodyChain(db).firstBroken).toEqual({ seq: 3, reason: expect.stringMatching(/prev_hash/) });
  });

  it('verifies entries taken out of the cache (custody.json) and catches reordering', () => {
    db = freshDb();
    seed(4);
    const entries = listCustody(db);
    expect(verifyCustodyEntries(JSON.parse(JSON.stringify(entries)))).toMatchObject({ ok: true, entries: 4 });
    const swapped = [entries[0]!, entries[2]!, entries[1]!, entries[3]!];
    expect(verifyCustodyEntries(swapped)).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });
});
