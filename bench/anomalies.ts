import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDetector, detectAnomalies, requiredHistorySeconds } from '../main/core/anomalies/engine';
import type { AnomalyEvent } from '../main/core/anomalies/event';
import { scanCache, scanCacheIncremental } from '../main/core/anomalies/from-cache';

/**
 * `npm run bench -- anomalies [events=1000000] [newEvents=10000] [--no-sqlite]`
 * Goals (issue 6): full scan of 1M records ≤ 10 s; incremental scan after a sync of 10k new
 * records ≤ 1 s. Measured twice: on in-memory events (the engine alone) and through a plain
 * SQLite `records` table shaped like the cache's (read + engine). Peak RSS is the process maximum
 * so far, printed after each phase.
 */
export async function run(args: string[]): Promise<void> {
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const total = numbers[0] ?? 1_000_000;
  const fresh = numbers[1] ?? 10_000;
  const withSqlite = !args.includes('--no-sqlite');

  let t = performance.now();
  const events = syntheticEvents(total, 45);
  note(`generated ${total.toLocaleString('en-US')} events over 45 days`, t);

  t = performance.now();
  const findings = detectAnomalies(events);
  note(`engine full scan: ${findings.length} findings ${summary(findings)}`, t, 10_000);

  const old = events.slice(0, total - fresh);
  const added = events.slice(total - fresh);
  const before = createDetector();
  for (const e of old) before.push(e);
  before.flush();
  t = performance.now();
  const snapshot = before.snapshot();
  note(`snapshot written: ${(snapshot.length / 1024).toFixed(0)} KiB`, t);

  t = performance.now();
  const resumed = createDetector({ snapshot });
  for (const e of added) resumed.push(e);
  const incremental = resumed.flush();
  note(`engine incremental (snapshot) of ${fresh.toLocaleString('en-US')}: ${incremental.length} findings`, t, 1_000);

  t = performance.now();
  const cut = added[0]!.event_time - requiredHistorySeconds();
  const replay = createDetector();
  let replayed = 0;
  for (const e of old) {
    if (e.event_time < cut) continue;
    replay.push(e, false);
    replayed++;
  }
  for (const e of added) replay.push(e);
  const replayFindings = replay.flush();
  note(`engine incremental (replay of ${replayed.toLocaleString('en-US')} history events): ${replayFindings.length} findings`, t);

  if (!withSqlite) return;
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-bench-'));
  try {
    const db = new Database(join(dir, 'records.db'));
    db.pragma('journal_mode = WAL');
    db.exec(RECORDS_TABLE);
    t = performance.now();
    insert(db, old);
    note(`sqlite: inserted ${old.length.toLocaleString('en-US')} rows (setup, not a goal)`, t);
    t = performance.now();
    const full = scanCache(db);
    note(`sqlite full scan of ${old.length.toLocaleString('en-US')} records: ${full.findings.length} findings`, t, 10_000);
    insert(db, added);
    t = performance.now();
    const bySnapshot = scanCacheIncremental(db, full.lastSeq, { snapshot: full.snapshot });
    note(`sqlite incremental (${bySnapshot.mode}) after ${fresh.toLocaleString('en-US')} new records: ${bySnapshot.findings.length} findings`, t, 1_000);
    t = performance.now();
    const byReplay = scanCacheIncremental(db, full.lastSeq);
    note(`sqlite incremental (${byReplay.mode}, no snapshot): ${byReplay.findings.length} findings`, t);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function note(what: string, since: number, goalMs?: number): void {
  const ms = performance.now() - since;
  const rss = process.resourceUsage().maxRSS / 1024;
  const goal = goalMs === undefined ? '' : ms <= goalMs ? `  (goal ≤ ${goalMs / 1000} s: met)` : `  (goal ≤ ${goalMs / 1000} s: MISSED)`;
  console.log(`${what}: ${(ms / 1000).toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB${goal}`);
}

function summary(findings: { rule: string }[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return `(${[...counts].map(([r, n]) => `${r} ${n}`).join(', ')})`;
}

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const HUMAN_TYPES = ['UpdateRoute', 'UpdateRoute', 'UpdateService', 'AddRoute', 'PublishService', 'UpdateConsumer', 'DeleteRoute', 'Logout'];

/**
 * Office workers (various working windows, weekdays, office or home network), CI tokens running
 * at fixed hours every day, and a sprinkle of failed logins: the shape of a real gateway's log.
 */
export function syntheticEvents(count: number, days: number): AnomalyEvent[] {
  const rnd = random(42);
  const end = 1768478400;
  const start = end - days * 86_400;
  const humans = Array.from({ length: 50 }, (_, i) => ({
    id: `u-${i}`,
    name: `user${i}`,
    from: [1, 5, 7, 8, 8, 9, 13][i % 7]!,
    // Flat strings, as SQLite hands them out (concatenating per event would build rope strings
    // that cost a flatten on every Map lookup and skew the measurement).
    office: Array.from({ length: 200 }, (_, k) => `10.${i % 4}.${i}.${k + 1}`),
    home: Array.from({ length: 200 }, (_, k) => `100.64.${i}.${k + 1}`),
  }));
  const ci = Array.from({ length: 10 }, (_, i) => ({ id: `u-ci${i}`, name: `ci${i}`, hour: (i * 5) % 24, token: `deploy-${i}`, ip: `10.99.0.${i + 1}` }));
  const out: AnomalyEvent[] = [];
  const ciShare = Math.floor(count * 0.3);
  const perRun = Math.max(1, Math.floor(ciShare / (days * ci.length)));
  let n = 0;
  const push = (e: Omit<AnomalyEvent, 'id'>) => out.push({ id: `e${String(n++).padStart(9, '0')}`, ...e });
  for (let d = 0; d < days; d++) {
    const dayStart = start - (start % 86_400) + d * 86_400;
    for (const c of ci) {
      const t0 = dayStart + c.hour * 3600 + Math.floor(rnd() * 600);
      for (let k = 0; k < perRun && out.length < ciShare; k++) {
        push({ event_time: t0 + Math.floor((k * 1800) / perRun), operator_id: c.id, username: c.name, event_type: k % 9 === 0 ? 'PublishService' : 'UpdateRoute', resource_id: `r-${k}`, ip: c.ip, token_name: c.token, status_code: 200, failed: false, uri: '/api/routes' });
      }
    }
  }
  while (out.length < count) {
    const h = humans[Math.floor(rnd() * humans.length)]!;
    let day = Math.floor(rnd() * days);
    let dayStart = start - (start % 86_400) + day * 86_400;
    const weekday = new Date(dayStart * 1000).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      day = (day + 2) % days;
      dayStart = start - (start % 86_400) + day * 86_400;
    }
    const t = dayStart + h.from * 3600 + Math.floor(rnd() * 9 * 3600);
    const r = rnd();
    if (r < 0.01) {
      push({ event_time: t, operator_id: '', username: h.name, event_type: 'Login', resource_id: '', ip: h.home[Math.floor(rnd() * 200)]!, token_name: '', status_code: 401, failed: true, uri: '/api/login' });
      continue;
    }
    const type = HUMAN_TYPES[Math.floor(rnd() * HUMAN_TYPES.length)]!;
    const ip = (rnd() < 0.8 ? h.office : h.home)[Math.floor(rnd() * 200)]!;
    const denied = rnd() < 0.005;
    push({ event_time: t, operator_id: h.id, username: h.name, event_type: type, resource_id: `r-${Math.floor(rnd() * 5000)}`, ip, token_name: '', status_code: denied ? 403 : 200, failed: denied, uri: '/api/gateway_groups/default/routes' });
  }
  return out.sort((a, b) => a.event_time - b.event_time || (a.id < b.id ? -1 : 1));
}

const RECORDS_TABLE = `CREATE TABLE records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, event_time INTEGER NOT NULL,
  operator_id TEXT NOT NULL, operator_username TEXT NOT NULL, event_type TEXT NOT NULL,
  resource_id TEXT NOT NULL, ip_address TEXT NOT NULL, token_name TEXT NOT NULL,
  status_code INTEGER NOT NULL, error_message TEXT NOT NULL, http_uri TEXT NOT NULL,
  failed INTEGER NOT NULL, canonical TEXT NOT NULL);
  CREATE INDEX records_event_time ON records (event_time);
  CREATE INDEX records_operator_time ON records (operator_id, event_time);`;

function insert(db: Database.Database, events: AnomalyEvent[]): void {
  const stmt = db.prepare(`INSERT INTO records (id, event_time, operator_id, operator_username, event_type, resource_id,
    ip_address, token_name, status_code, error_message, http_uri, failed, canonical) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  db.transaction(() => {
    for (const e of events) {
      const anonymous = e.operator_id === '';
      const canonical = anonymous ? JSON.stringify({ http_request: { body: { username: e.username } } }) : '{}';
      stmt.run(e.id, e.event_time, e.operator_id, anonymous ? '' : e.username, e.event_type, e.resource_id, e.ip, e.token_name, e.status_code, '', e.uri, e.failed ? 1 : 0, canonical);
    }
  })();
}
