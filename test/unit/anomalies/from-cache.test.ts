import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import type { AnomalyEvent } from '../../../main/core/anomalies/event';
import { eventsFromDb, scanCache, scanCacheIncremental } from '../../../main/core/anomalies/from-cache';
import { at, byTime, DAY, ev, failedLogin, HOUR, MIN, routine } from './helpers';

const FEB3 = at('2025-02-03T00:00:00Z');

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anomalies-'));
  db = new Database(join(dir, 'cache.db'));
  db.exec(`CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, event_time INTEGER NOT NULL,
    operator_id TEXT NOT NULL, operator_username TEXT NOT NULL, event_type TEXT NOT NULL,
    resource_id TEXT NOT NULL, ip_address TEXT NOT NULL, token_name TEXT NOT NULL,
    status_code INTEGER NOT NULL, error_message TEXT NOT NULL, http_uri TEXT NOT NULL,
    failed INTEGER NOT NULL, canonical TEXT NOT NULL)`);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stores events the way the cache does: the body username only inside the canonical JSON. */
function insert(events: AnomalyEvent[]): void {
  const stmt = db.prepare(`INSERT INTO records (id, event_time, operator_id, operator_username, event_type, resource_id,
    ip_address, token_name, status_code, error_message, http_uri, failed, canonical)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const e of events) {
      const anonymous = e.operator_id === '';
      const canonical = JSON.stringify({
        id: e.id,
        operator: { id: e.operator_id, username: anonymous ? '' : e.username },
        http_request: { uri: e.uri, body: anonymous ? { username: e.username, password: '******' } : {} },
      });
      stmt.run(e.id, e.event_time, e.operator_id, anonymous ? '' : e.username, e.event_type, e.resource_id, e.ip,
        e.token_name, e.status_code, '', e.uri, e.failed ? 1 : 0, canonical);
    }
  })();
}

function scenario(): AnomalyEvent[] {
  const events = routine(FEB3, 35, [9, 12, 16]);
  const d = FEB3 + 33 * DAY;
  for (let i = 0; i < 6; i++) events.push(failedLogin(d + 12 * HOUR + i * MIN, 'mdoe'));
  events.push(ev(d + 3 * HOUR, { event_type: 'UpdateSSL' }));
  for (let i = 0; i < 12; i++) events.push(ev(d + DAY + 10 * HOUR + i * 5, { event_type: 'DeleteRoute' }));
  return byTime(events);
}

describe('eventsFromDb', () => {
  it('streams events in (event_time, seq) order with the attempted username of anonymous failed logins', () => {
    const a = failedLogin(FEB3 + 10, 'mdoe');
    const b = ev(FEB3 + 5);
    const c = ev(FEB3 + 10);
    insert([a, b, c]);
    const out = [...eventsFromDb(db)];
    expect(out.map((e) => e.id)).toEqual([b.id, a.id, c.id]);
    expect(out[1]).toEqual(a);
    expect([...eventsFromDb(db, { from: FEB3 + 6, to: FEB3 + 11 })].map((e) => e.id)).toEqual([a.id, c.id]);
  });
});

describe('scanning the cache', () => {
  it('a full scan equals detectAnomalies over the same events', () => {
    const events = scenario();
    insert(events);
    const result = scanCache(db);
    expect(result.mode).toBe('full');
    expect(result.lastSeq).toBe(events.length);
    expect(result.findings).toEqual(detectAnomalies(events));
    expect(result.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['brute_force', 'sensitive_change', 'mass_delete']));
  });

  it('after a sync, snapshot and replay modes report the full scan’s findings that involve new records', () => {
    const events = scenario();
    const cut = FEB3 + 33 * DAY;
    insert(events.filter((e) => e.event_time < cut));
    const first = scanCache(db);
    const fresh = events.filter((e) => e.event_time >= cut);
    insert(fresh);
    const freshIds = new Set(fresh.map((e) => e.id));
    const expected = detectAnomalies(events).filter((f) => f.record_ids.some((id) => freshIds.has(id)));
    expect(expected.length).toBeGreaterThan(2);

    const bySnapshot = scanCacheIncremental(db, first.lastSeq, { snapshot: first.snapshot });
    expect(bySnapshot.mode).toBe('snapshot');
    expect(bySnapshot.findings).toEqual(expected);

    const byReplay = scanCacheIncremental(db, first.lastSeq);
    expect(byReplay.mode).toBe('replay');
    expect(byReplay.findings).toEqual(expected);
    expect(byReplay.lastSeq).toBe(events.length);
  });

  it('falls back to replay when a new record is older than the snapshot', () => {
    const events = scenario();
    const late = ev(FEB3 + 33 * DAY + 3 * HOUR + 30 * MIN, { event_type: 'UpdateSSL', resource_id: 'late' });
    insert(events);
    const first = scanCache(db);
    insert([late]);
    const result = scanCacheIncremental(db, first.lastSeq, { snapshot: first.snapshot });
    expect(result.mode).toBe('replay');
    // The late record is a sensitive change of its own and joins the open off-hours finding of 03:00
    // (same id as in the first scan, now with one more record).
    const offHours = first.findings.find((f) => f.rule === 'off_hours' && f.first_event_time === FEB3 + 33 * DAY + 3 * HOUR)!;
    expect(result.findings.map((f) => [f.rule, f.id, f.record_ids])).toEqual([
      ['off_hours', offHours.id, [...offHours.record_ids, late.id]],
      ['sensitive_change', expect.any(String), [late.id]],
    ]);
  });
});
