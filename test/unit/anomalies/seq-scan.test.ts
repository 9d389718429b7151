import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { deserialize } from 'node:v8';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEncryptedDb } from '../../../main/core/cache/connection';
import { createDetector, detectAnomalies } from '../../../main/core/anomalies/engine';
import { toAnomalyEvent, type AnomalyEvent } from '../../../main/core/anomalies/event';
import { createChunkDecoder, createChunkEncoder } from '../../../main/core/anomalies/event-chunks';
import { eventsFromDb, scanCache, scanCacheIncremental } from '../../../main/core/anomalies/from-cache';
import { planSeqOrder } from '../../../main/core/anomalies/read-order';
import { scanRowToEvent, type ScanRow } from '../../../main/core/anomalies/scan-columns';
import { generateHistory } from '../../../main/demo-gateway/generator';

/**
 * A full scan reads the table in seq order (optionally with reader threads) and puts records that
 * arrived late back in time order. Whatever the path, findings, ids and the snapshot must be those
 * of reading through the event_time index.
 */
const history = generateHistory({ seed: 5, days: 40, operators: 12, events: 30_000 }).entries.map(toAnomalyEvent);

let dir: string;
let db: Database.Database;

const SCHEMA = `CREATE TABLE records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, event_time INTEGER NOT NULL,
  operator_id TEXT NOT NULL, operator_username TEXT NOT NULL, event_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, ip_address TEXT NOT NULL, token_name TEXT NOT NULL,
  status_code INTEGER NOT NULL, http_uri TEXT NOT NULL, failed INTEGER NOT NULL, canonical TEXT NOT NULL);
  CREATE INDEX records_event_time ON records (event_time);`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anomalies-seq-'));
  db = new Database(join(dir, 'cache.db'));
  db.exec(SCHEMA);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Inserts in the given order (= seq order); the attempted username of anonymous logins only in the body. */
function insert(target: Database.Database, events: readonly AnomalyEvent[]): void {
  const stmt = target.prepare(`INSERT INTO records (id, event_time, operator_id, operator_username, event_type, resource_id,
    ip_address, token_name, status_code, http_uri, failed, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  target.transaction(() => {
    for (const e of events) {
      const anonymous = e.operator_id === '';
      const body = anonymous ? { username: e.username } : {};
      stmt.run(e.id, e.event_time, e.operator_id, anonymous ? '' : e.username, e.event_type, e.resource_id, e.ip, e.token_name,
        e.status_code, e.uri, e.failed ? 1 : 0, JSON.stringify({ http_request: { body } }));
    }
  })();
}

/** What reading through the event_time index gives: findings and the detector snapshot. */
function timeOrderScan(source: Database.Database) {
  const detector = createDetector();
  for (const event of eventsFromDb(source)) detector.push(event);
  return { findings: detector.flush(), snapshot: detector.snapshot() };
}

/**
 * A detector snapshot as comparable data, Maps and Sets as ordered entry lists (order is state too).
 * Not its bytes: V8 writes the same number as an int32 or a double depending on the history of the
 * object's hidden class, so equal states can serialize differently (a CI run did exactly that).
 */
function stateOf(snapshot: Buffer): unknown {
  const plain = (value: unknown): unknown => {
    if (value instanceof Map) return { map: [...value].map(([k, v]) => [plain(k), plain(v)]) };
    if (value instanceof Set) return { set: [...value].map(plain) };
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return value;
  };
  return plain(deserialize(snapshot));
}

/** Every 40th record committed after all the others, as late arrivals of a sync are. */
function withLateArrivals(events: readonly AnomalyEvent[]): AnomalyEvent[] {
  return [...events.filter((_, i) => i % 40 !== 7), ...events.filter((_, i) => i % 40 === 7)];
}

describe('full scan in seq order', () => {
  it('gives the time-ordered findings and snapshot when records arrived in time order', () => {
    insert(db, history);
    const result = scanCache(db);
    expect(result.read).toEqual({ order: 'seq', threads: 0 });
    expect(result.findings.length).toBeGreaterThan(50);
    expect(result.findings).toEqual(detectAnomalies(history));
    const reference = timeOrderScan(db);
    expect(result.findings).toEqual(reference.findings);
    expect(stateOf(result.snapshot)).toEqual(stateOf(reference.snapshot));
  });

  it('puts late arrivals back in time order', () => {
    const inserted = withLateArrivals(history);
    insert(db, inserted);
    expect(planSeqOrder(db, inserted.length, inserted.length)!.late.length).toBeGreaterThan(500);
    const result = scanCache(db);
    expect(result.read.order).toBe('seq');
    const reference = timeOrderScan(db);
    expect(result.findings).toEqual(reference.findings);
    expect(stateOf(result.snapshot)).toEqual(stateOf(reference.snapshot));
    // Same ids and records as if everything had arrived in time order (ties aside, which seq breaks).
    expect(result.findings.map((f) => f.id).sort()).toEqual(detectAnomalies(history).map((f) => f.id).sort());
  });

  it('reads in time order when most records are out of seq order, with the same result', () => {
    insert(db, [...history].reverse());
    const result = scanCache(db);
    expect(result.read.order).toBe('time');
    expect(result.findings).toEqual(timeOrderScan(db).findings);
  });

  it('resumes incrementally from a seq-order scan exactly as from a time-order one', () => {
    const cut = Math.floor(history.length * 0.8);
    insert(db, withLateArrivals(history.slice(0, cut)));
    const first = scanCache(db, { parallel: { key: null, readers: 1, minRecords: 0 } });
    expect(first.read).toEqual({ order: 'seq', threads: 1 });
    insert(db, history.slice(cut));
    const resumed = scanCacheIncremental(db, first.lastSeq, { snapshot: first.snapshot });
    expect(resumed.mode).toBe('snapshot');
    const newIds = new Set(history.slice(cut).map((e) => e.id));
    expect(resumed.findings).toEqual(timeOrderScan(db).findings.filter((f) => f.record_ids.some((id) => newIds.has(id))));
  });
});

describe('full scan with reader threads', () => {
  it('gives the same findings and snapshot with one or two threads, late arrivals included', () => {
    insert(db, withLateArrivals(history));
    const reference = timeOrderScan(db);
    for (const readers of [1, 2]) {
      const result = scanCache(db, { parallel: { key: null, readers, minRecords: 0 } });
      expect(result.read).toEqual({ order: 'seq', threads: readers });
      expect(result.findings).toEqual(reference.findings);
      expect(stateOf(result.snapshot)).toEqual(stateOf(reference.snapshot));
    }
  });

  it('stays on one connection below minRecords', () => {
    insert(db, history);
    expect(scanCache(db, { parallel: { key: null, readers: 2 } }).read).toEqual({ order: 'seq', threads: 0 });
  });

  it('reads an encrypted cache with its key', () => {
    const key = randomBytes(32);
    const encrypted = openEncryptedDb(join(dir, 'encrypted.db'), key, { readonly: false, create: true });
    try {
      encrypted.exec(SCHEMA);
      insert(encrypted, withLateArrivals(history));
      const result = scanCache(encrypted, { parallel: { key, readers: 2, minRecords: 0 } });
      expect(result.read.threads).toBe(2);
      expect(result.findings).toEqual(timeOrderScan(encrypted).findings);
    } finally {
      encrypted.close();
    }
  });

  it('fails with the reader’s reason when a thread cannot read', () => {
    insert(db, history);
    expect(() => scanCache(db, { parallel: { key: randomBytes(32), readers: 1, minRecords: 0 } })).toThrow(/reading records for the anomaly scan failed/);
  });
});

describe('read order plan', () => {
  it('marks the records that come before a smaller seq in time order as late', () => {
    // seq 1..5 with times 10, 20, 5, 30, 25: time order is seq 3, 1, 2, 5, 4.
    insert(db, [10, 20, 5, 30, 25].map((t, i) => ({ ...history[0]!, id: `r${i}`, event_time: t })));
    expect(planSeqOrder(db, 5, 10)).toEqual({ count: 5, late: [3, 5] });
    expect(planSeqOrder(db, 4, 10)).toEqual({ count: 4, late: [3] });
    expect(planSeqOrder(db, 5, 1)).toBeUndefined();
  });
});

describe('event chunks', () => {
  it('decode to the events the rows stand for, across dictionary resets', () => {
    const rows: ScanRow[] = history.slice(0, 500).map((e, i) => [i + 1, e.id, e.event_time, e.operator_id, e.username, e.event_type,
      e.resource_id, e.ip, e.token_name, e.status_code, e.failed ? 1 : 0, e.uri]);
    const encode = createChunkEncoder(20);
    const decoder = createChunkDecoder();
    let resets = 0;
    for (let from = 0; from < rows.length; from += 64) {
      const part = rows.slice(from, from + 64);
      const { chunk } = encode(part);
      if (chunk.resetDictionary) resets++;
      decoder.accept(chunk);
      expect(part.map((_, i) => decoder.eventAt(chunk, i))).toEqual(part.map(scanRowToEvent));
      expect([...chunk.seqs]).toEqual(part.map((r) => r[0]));
    }
    expect(resets).toBeGreaterThan(2);
  });
});
