import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../main/core/cache/cache';
import { listCustody, verifyCustodyChain, verifyCustodyEntries, appendCustody } from '../../../main/core/custody';
import { exportFromCache, ExportError } from '../../../main/core/export/from-cache';
import { parseFilter } from '../../../main/core/query/filter-language';
import { activeSigningKey } from '../../../main/core/signing/key-store';
import { verifyPackage } from '../../../main/core/verify/verify-package';
import { createCampaign } from '../../../main/core/campaigns/campaigns';
import ExcelJS from 'exceljs';
import { createTestCache } from '../../helpers/temp-cache';
import { readEntries } from '../export/zip-tools';
import { sampleEntries, seedReview } from './seed';

const exporter = { user_id: 'u-auditor', username: 'auditor', gateway_url: 'http://gateway.test' };
let test: ReturnType<typeof createTestCache>;
let reader: ReturnType<typeof openReader>;
const entries = sampleEntries();

beforeAll(() => {
  test = createTestCache(entries);
  seedReview(test.cache.db);
  appendCustody(test.cache.db, { actor: 'auditor', action: 'sync', details: { inserted: 40 }, at: 1_764_000_000 });
  reader = openReader(test.dir, test.cache.key);
});
afterAll(() => {
  reader.close();
  test.remove();
});

function filterOf(text: string) {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
}

async function files(path: string): Promise<Map<string, Buffer>> {
  return new Map((await readEntries(path)).map((e) => [e.name, e.data]));
}

describe('exportFromCache', () => {
  it('exports exactly the filtered records in event_time order, signed by the cache key, and it verifies', async () => {
    const outPath = join(test.dir, '..', 'jdoe.zip');
    const progress: string[] = [];
    const result = await exportFromCache({
      db: reader,
      writerDb: test.cache.db,
      filter: filterOf('operator:jdoe'),
      filterText: 'operator:jdoe',
      formats: ['json', 'csv'],
      outPath,
      exporter,
      onProgress: (p) => progress.push(p.phase),
      now: () => 1_764_200_000,
    });
    const expected = entries
      .filter((e) => e.operator.username === 'jdoe')
      .sort((a, b) => a.event_time - b.event_time || a.id.localeCompare(b.id))
      .map((e) => e.id);
    expect(result.recordCount).toBe(20);
    expect(result.keyId).toBe(activeSigningKey(test.cache.db, 0).fingerprint);

    const report = await verifyPackage(outPath, { trustedKeys: [activeSigningKey(test.cache.db, 0).publicPem], requireTrusted: true });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);

    const zip = await files(outPath);
    const records = JSON.parse(zip.get('records.json')!.toString()) as Array<{ id: string }>;
    expect(records.map((r) => r.id)).toEqual(expected);
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest.filter.text).toBe('operator:jdoe');
    expect(manifest.exporter).toEqual(exporter);
    expect(progress[0]).toBe('preparing');
    expect(progress.at(-1)).toBe('done');
  });

  it('includes the findings of those records (with suppression), annotation history and the custody chain', async () => {
    const outPath = join(test.dir, '..', 'first-two.zip');
    const before = listCustody(test.cache.db).length;
    const result = await exportFromCache({
      db: reader,
      writerDb: test.cache.db,
      filter: filterOf('before:2025-11-24T17:00'),
      filterText: 'before:2025-11-24T17:00',
      formats: ['json'],
      outPath,
      exporter,
      now: () => 1_764_200_000,
    });
    // rec-000 (t0), rec-0?? ... : every record with event_time <= t0 + 2h.
    const zip = await files(outPath);
    const ids = (JSON.parse(zip.get('records.json')!.toString()) as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toContain('rec-000');
    expect(ids).not.toContain('rec-001');

    const findings = JSON.parse(zip.get('findings.json')!.toString());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'f-delete-burst', severity: 'high', suppressed: false, record_ids: ['rec-000'], record_count: 2, evidence: { window: 600 } });

    const annotations = JSON.parse(zip.get('annotations.json')!.toString());
    expect(annotations.map((a: { annotation_id: string; version_id: number }) => `${a.annotation_id}@${a.version_id}`)).toEqual(['a-1@1', 'a-1@2', 'a-3@4']);

    const custody = JSON.parse(zip.get('custody.json')!.toString());
    expect(verifyCustodyEntries(custody)).toMatchObject({ ok: true });
    expect(custody.map((c: { action: string }) => c.action)).toContain('sync');
    expect(custody.at(-1)).toMatchObject({ action: 'export', details: { stage: 'started', filter: 'before:2025-11-24T17:00' } });

    const after = listCustody(test.cache.db);
    expect(after).toHaveLength(before + 2);
    expect(after.at(-1)).toMatchObject({
      action: 'export',
      details: { stage: 'completed', package_id: result.packageId, path: outPath, record_count: ids.length, merkle_root: result.merkleRoot },
    });
    expect(verifyCustodyChain(test.cache.db).ok).toBe(true);
  });

  it('a suppressed finding is exported with its suppression', async () => {
    const outPath = join(test.dir, '..', 'asmith.zip');
    await exportFromCache({ db: reader, writerDb: test.cache.db, filter: filterOf('operator:asmith'), filterText: 'operator:asmith', formats: ['json'], outPath, exporter });
    const findings = JSON.parse((await files(outPath)).get('findings.json')!.toString());
    expect(findings).toEqual([
      expect.objectContaining({ id: 'f-off-hours', suppressed: true, suppression: expect.objectContaining({ id: 'sup-1', reason: 'on-call rota' }) }),
    ]);
  });

  it('CIDR filters work on the export connection; the xlsx summary lists the review campaigns', async () => {
    createCampaign(test.cache.db, { name: 'Q4 route changes', filter: {}, periodFrom: 1_764_000_000, periodTo: 1_764_200_000, reviewers: ['auditor'] }, { author: 'lead', now: () => 1_764_100_000 });
    const outPath = join(test.dir, '..', 'cidr.zip');
    const result = await exportFromCache({ db: reader, writerDb: test.cache.db, filter: filterOf('ip:198.51.100.0/24'), filterText: 'ip:198.51.100.0/24', formats: ['xlsx', 'csv'], outPath, exporter });
    expect(result.recordCount).toBe(20);
    expect((await verifyPackage(outPath)).ok).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await files(outPath)).get('records.xlsx')! as unknown as ArrayBuffer);
    const summary: string[] = [];
    workbook.getWorksheet('Summary')!.eachRow((row) => summary.push(String(row.values)));
    expect(summary.join('\n')).toMatch(/Campaign coverage.*1 campaign/);
    expect(summary.join('\n')).toMatch(/Q4 route changes/);
  });

  it('cancel leaves no file (and no temp files) and records the cancellation in custody', async () => {
    const outPath = join(test.dir, '..', 'cancelled.zip');
    const controller = new AbortController();
    controller.abort();
    await expect(
      exportFromCache({ db: reader, writerDb: test.cache.db, filter: {}, filterText: '', formats: ['json', 'xlsx'], outPath, exporter, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'ExportError', code: 'cancelled' });
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(join(test.dir, '..')).filter((n) => n.includes('cancelled'))).toEqual([]);
    expect(listCustody(test.cache.db).at(-1)).toMatchObject({ action: 'export', details: { stage: 'cancelled' } });
    // The reader is usable again afterwards (the record iterator was closed).
    expect(reader.prepare('SELECT count(*) FROM records').pluck().get()).toBe(40);
  });

  it('cancel in the middle of the records leaves no file', async () => {
    const outPath = join(test.dir, '..', 'mid.zip');
    const controller = new AbortController();
    await expect(
      exportFromCache({
        db: reader,
        writerDb: test.cache.db,
        filter: {},
        filterText: '',
        formats: ['csv'],
        outPath,
        exporter,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'records') controller.abort();
        },
      }),
    ).rejects.toBeInstanceOf(ExportError);
    expect(existsSync(outPath)).toBe(false);
  });

  it('writing the records in a worker thread gives the same files and root as in this thread', async () => {
    const run = async (name: string, recordsThread: boolean) => {
      const outPath = join(test.dir, '..', name);
      const phases = new Set<string>();
      const result = await exportFromCache({ db: reader, writerDb: test.cache.db, filter: {}, filterText: '', formats: ['json', 'csv'], outPath, exporter, recordsThread, now: () => 1_764_200_000, onProgress: (p) => phases.add(p.phase) });
      return { result, files: await files(outPath), report: await verifyPackage(outPath), phases: [...phases] };
    };

    const inline = await run('inline.zip', false);
    const threaded = await run('threaded.zip', true);
    expect(threaded.result.recordCount).toBe(40);
    expect(threaded.result.merkleRoot).toBe(inline.result.merkleRoot);
    for (const name of ['records.json', 'records.csv']) expect(threaded.files.get(name)!.equals(inline.files.get(name)!)).toBe(true);
    expect(threaded.report.ok).toBe(true);
    expect(inline.report.ok).toBe(true);
    expect(threaded.phases).toEqual(inline.phases);
    // The stored canonical texts are used as they are: records.json lines are exactly the cache's.
    const stored = reader.prepare('SELECT canonical FROM records ORDER BY event_time, seq').pluck().all() as string[];
    expect(threaded.files.get('records.json')!.toString('utf8')).toBe(`[\n${stored.join(',\n')}\n]\n`);
  });

  it('cancel while a worker thread writes the records leaves no file and frees the reader', async () => {
    const outPath = join(test.dir, '..', 'mid-thread.zip');
    const controller = new AbortController();
    await expect(
      exportFromCache({ db: reader, writerDb: test.cache.db, filter: {}, filterText: '', formats: ['csv'], outPath, exporter, recordsThread: true, signal: controller.signal, onProgress: (p) => p.phase === 'records' && controller.abort() }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(join(test.dir, '..')).filter((n) => n.includes('mid-thread'))).toEqual([]);
    expect(reader.prepare('SELECT count(*) FROM records').pluck().get()).toBe(40);
  });

  it('refuses relative paths, missing folders, non-zip names and existing files', async () => {
    const base = { db: reader, writerDb: test.cache.db, filter: {}, filterText: '', formats: ['json' as const], exporter };
    await expect(exportFromCache({ ...base, outPath: 'out.zip' })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(exportFromCache({ ...base, outPath: join(test.dir, 'nope', 'x.zip') })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(exportFromCache({ ...base, outPath: join(test.dir, '..', 'x.txt') })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(exportFromCache({ ...base, outPath: join(test.dir, '..', 'jdoe.zip') })).rejects.toMatchObject({ code: 'exists' });
  });
});
