import type Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotationsForExport, bulkAnnotate, undoBatch } from '../main/core/annotations';
import { openCache } from '../main/core/cache/cache';
import { coverage, createCampaign } from '../main/core/campaigns';
import { createQueryService } from '../main/core/query/query-service';

/**
 * `npm run bench -- annotations [records=1000000] [bulk=100000]`
 * Goals (issue 7): bulk-tag 100k records in a few seconds; campaign coverage on 1M records quickly
 * (set-based SQL). Runs on a real encrypted cache (SQLCipher) in a temp folder; the records are
 * written straight with SQL (shape only — hashes are dummies) so setup stays short.
 */
const T0 = 1_760_000_000;

export async function run(args: string[]): Promise<void> {
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const total = numbers[0] ?? 1_000_000;
  const bulk = Math.min(numbers[1] ?? 100_000, total);
  const dir = mkdtempSync(join(tmpdir(), 'bench-annotations-'));
  const cache = openCache(join(dir, 'cache'), {
    passphrase: 'bench',
    create: { gatewayUrl: 'http://bench.test', userId: 'u-bench', username: 'bench' },
    scrypt: { N: 1024, r: 8, p: 1 },
  });
  const db = cache.db;
  try {
    let t = performance.now();
    populate(db, total);
    note(`stored ${total.toLocaleString('en-US')} records`, t);

    const clock = () => T0 + 10_000_000;
    // The first `bulk` records by time: a filter selection, as the UI would send it.
    const selection = { filter: { from: T0, to: T0 + (bulk - 1) * 3 } };
    let progressEvents = 0;
    t = performance.now();
    const tagged = await bulkAnnotate(db, { targets: selection, action: { type: 'addTag', tag: 'bench-q4' }, author: 'alice', now: clock, onProgress: () => progressEvents++ });
    note(`bulk addTag over a filter: ${tagged.affected.toLocaleString('en-US')} records, ${progressEvents} progress reports`, t, 5000, tagged.affected);

    const ids = (db.prepare('SELECT id FROM records WHERE seq > ? ORDER BY seq LIMIT ?').pluck().all(total - bulk, bulk) as string[]);
    t = performance.now();
    const statuses = await bulkAnnotate(db, { targets: { ids }, action: { type: 'setStatus', status: 'reviewed' }, author: 'bob', now: clock });
    note(`bulk setStatus by ${ids.length.toLocaleString('en-US')} ids: ${statuses.affected.toLocaleString('en-US')} records`, t, 5000, statuses.affected);

    t = performance.now();
    const again = await bulkAnnotate(db, { targets: selection, action: { type: 'addTag', tag: 'bench-q4' }, author: 'alice', now: clock });
    note(`bulk addTag repeated (all no-ops): ${again.affected} changed`, t, 5000, again.total);

    const campaign = createCampaign(db, { name: 'bench', filter: {}, periodFrom: T0, periodTo: T0 + total * 3, reviewers: ['alice', 'bob'] }, { author: 'alice', now: clock });
    const filtered = createCampaign(db, { name: 'bench deletes', filter: { eventTypes: ['Delete*'] }, periodFrom: T0, periodTo: T0 + total * 3, reviewers: ['bob'] }, { author: 'alice', now: clock });
    for (const c of [campaign, filtered]) {
      t = performance.now();
      const result = coverage(db, c.id, clock());
      note(`coverage "${c.scope_text || '(all)'}": ${result.records_with_status.toLocaleString('en-US')} of ${result.records_in_scope.toLocaleString('en-US')} (${result.percent_records}%)`, t, 2000);
    }

    const query = createQueryService(db);
    t = performance.now();
    const count = query.count({ tags: ['bench-q4'] });
    note(`query count tag:bench-q4 → ${count.toLocaleString('en-US')}`, t, 2000);
    t = performance.now();
    const page = query.page({ reviewStatuses: ['reviewed'] }, { column: 'event_time', direction: 'desc' }, 0, 100);
    note(`query page status:reviewed → ${page.length} rows`, t, 1000);

    t = performance.now();
    const exported = annotationsForExport(db, ids.slice(0, 50_000));
    note(`annotationsForExport(50,000 record ids) → ${exported.length.toLocaleString('en-US')} versions`, t, 2000);

    t = performance.now();
    const undone = await undoBatch(db, tagged.batchId, { author: 'alice', now: clock });
    note(`undo of the bulk tag: ${undone.restored.toLocaleString('en-US')} restored`, t, 5000, undone.restored);
    const bytes = (db.prepare('PRAGMA page_count').pluck().get() as number) * (db.prepare('PRAGMA page_size').pluck().get() as number);
    console.log(`database size ${(bytes / 1024 / 1024).toFixed(0)} MiB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function note(what: string, since: number, goalMs?: number, items?: number): void {
  const ms = performance.now() - since;
  const rate = items ? `, ${Math.round((items / ms) * 1000).toLocaleString('en-US')}/s` : '';
  const goal = goalMs === undefined ? '' : ms <= goalMs ? `  (goal ≤ ${goalMs} ms: ok)` : `  (goal ≤ ${goalMs} ms: MISSED)`;
  console.log(`${what}: ${ms.toFixed(0)} ms${rate}${goal}`);
}

/** Plausible records straight through SQL: 3 s apart, 50 operators, a mix of event types. */
function populate(db: Database.Database, total: number): void {
  const chunk = 100_000;
  const insert = db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO records (id, event_time, operator_id, operator_username, operator_email, operator_name, source, token_name,
      event_type, resource_id, resource_name, gateway_group_id, ip_address, error_message, http_method, http_uri, status_code,
      user_agent, request_body, response_body, failed, canonical, sha256, prev_hash, chain_hash, synced_at, warnings)
    SELECT printf('rec-%08d', i), ${T0} + i * 3, 'u-' || (i % 50), 'user' || (i % 50), 'user' || (i % 50) || '@example.com', '', 'dashboard', '',
      CASE i % 5 WHEN 0 THEN 'DeleteRoute' WHEN 1 THEN 'UpdateRoute' WHEN 2 THEN 'AddRoute' WHEN 3 THEN 'Login' ELSE 'UpdateService' END,
      'res-' || (i % 1000), 'resource ' || (i % 1000), 'default', '10.0.' || (i % 250) || '.' || (i % 200), '', 'PUT', '/api/routes/' || (i % 1000), 200,
      'bench', NULL, NULL, 0, '{}', 'x', 'x', 'x', ${T0}, NULL
    FROM n`);
  for (let start = 0; start < total; start += chunk) {
    const end = Math.min(total, start + chunk) - 1;
    db.transaction(() => insert.run(start, end))();
  }
}
