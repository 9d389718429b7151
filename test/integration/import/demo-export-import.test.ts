import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../main/core/cache/index';
import { entryToRow } from '../../../main/core/cache/record-row';
import { importFile } from '../../../main/core/import/index';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { createTestCache, tempDir } from '../../unit/cache/fixtures';

const NOW = 1_764_000_000;

describe('import of the demo gateway export', () => {
  let gateway: DemoGateway;
  let token: string;
  const end = NOW - 1;
  beforeAll(async () => {
    gateway = await startDemoGateway({ seed: 11, days: 7, operators: 6, events: 2_000, now: () => NOW });
    token = gateway.createToken('auditor');
  });
  afterAll(() => gateway.close());

  const download = async (format: 'json' | 'csv') => {
    const res = await fetch(`${gateway.url}/api/audit_logs/export?format=${format}&start_at=0&end_at=${end}`, { headers: { 'X-API-KEY': token } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('JSON export imports to exactly the hashes a sync stores; CSV export to the same ids', async () => {
    const expected = gateway.store.all().filter((e) => e.event_time <= end);
    const t = tempDir();
    const jsonCache = createTestCache(join(t.dir, 'json'));
    const csvCache = createTestCache(join(t.dir, 'csv'));
    try {
      const jsonPath = join(t.dir, 'export.json');
      writeFileSync(jsonPath, await download('json'));
      const json = await importFile({ cache: jsonCache, path: jsonPath });
      expect(json).toMatchObject({ format: 'json-array', imported: expected.length, invalidCount: 0 });
      const stored = new Map((jsonCache.db.prepare('SELECT id, sha256 FROM records').all() as Array<{ id: string; sha256: string }>).map((r) => [r.id, r.sha256]));
      for (const e of expected) expect(stored.get(e.id)).toBe(entryToRow(e).sha256);

      const csvPath = join(t.dir, 'export.csv');
      writeFileSync(csvPath, await download('csv'));
      const csv = await importFile({ cache: csvCache, path: csvPath });
      expect(csv).toMatchObject({ format: 'csv', imported: expected.length, invalidCount: 0 });
      const ids = csvCache.db.prepare('SELECT id FROM records ORDER BY id').pluck().all();
      expect(ids).toEqual(expected.map((e) => e.id).sort());
      const sample = expected[Math.floor(expected.length / 2)]!;
      expect(csvCache.db.prepare('SELECT operator_username, event_type, http_uri, status_code FROM records WHERE id = ?').get(sample.id)).toEqual({
        operator_username: sample.operator.username,
        event_type: sample.event_type,
        http_uri: sample.http_request.uri,
        status_code: sample.http_response.status_code,
      });
      expect(verifyChain(csvCache.db).firstBroken).toBeUndefined();
    } finally {
      jsonCache.close();
      csvCache.close();
      t.cleanup();
    }
  });
});
