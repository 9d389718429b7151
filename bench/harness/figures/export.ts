import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { csvLine } from '../../../main/core/export/csv-cells';
import { exportFromCache } from '../../../main/core/export/from-cache';
import { verifyPackage } from '../../../main/core/verify/verify-package';
import type { TaskFn } from '../child';
import { BENCH_OWNER, DATASET_NOW, openDatasetCache, openDatasetReader } from '../dataset';
import { compare, type Figure } from '../figure';
import { summarize } from '../stats';

/** Columns a raw dump writes: every stored field of a record, as `sqlite3 -csv` would. */
const DUMP_SQL = `SELECT id, event_time, operator_id, operator_username, operator_email, operator_name, source, token_name,
  event_type, resource_id, resource_name, gateway_group_id, ip_address, error_message, http_method, http_uri,
  status_code, user_agent, request_body, response_body, failed FROM records ORDER BY event_time, seq`;

/**
 * The whole user export path (filter → SQL over the encrypted cache → canonical entries → signed
 * CSV package with manifest, Merkle root, findings, custody) against a raw dump of the same rows
 * from the same encrypted cache to a CSV file (format and write; no hashing, no zip). Then verify
 * of that package against hashing its bytes once. XLSX is measured at 100k (its goal size).
 */
export const exportFigures: TaskFn = async (size, log) => {
  const runs = size.events <= 100_000 ? 3 : 2;
  const cache = openDatasetCache(size);
  const reader = openDatasetReader(cache);
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-export-'));
  const figures: Figure[] = [];
  try {
    const exportOnce = async (name: string, formats: Array<'csv' | 'xlsx'>) => {
      const outPath = join(work, name);
      const started = performance.now();
      const result = await exportFromCache({
        db: reader,
        writerDb: cache.db,
        filter: {},
        filterText: '',
        formats,
        outPath,
        overwrite: true,
        exporter: { user_id: BENCH_OWNER.userId, username: BENCH_OWNER.username, gateway_url: BENCH_OWNER.gatewayUrl },
        now: () => DATASET_NOW + 3600,
      });
      const ms = performance.now() - started;
      log(`${formats.join('+')} package of ${result.recordCount} records: ${(ms / 1000).toFixed(2)} s, ${(result.bytes / 1e6).toFixed(1)} MB`);
      return { ms, outPath, records: result.recordCount };
    };

    const csvMs: number[] = [];
    const dumpMs: number[] = [];
    let packagePath = '';
    let records = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await rawDump(reader, join(work, 'dump.csv'));
      dumpMs.push(performance.now() - started);
      log(`raw dump: ${(dumpMs.at(-1)! / 1000).toFixed(2)} s`);
      const csv = await exportOnce('records.zip', ['csv']);
      csvMs.push(csv.ms);
      packagePath = csv.outPath;
      records = csv.records;
    }
    figures.push(
      compare(
        { id: 'export.csv', label: 'signed CSV package, all records', size: size.label, records, ours: summarize(csvMs), baseline: { label: 'raw CSV dump of the same rows', ...summarize(dumpMs) } },
        records,
      ),
    );

    const verifyMs: number[] = [];
    const hashMs: number[] = [];
    let verdict = '';
    for (let i = 0; i < 3; i++) {
      let started = performance.now();
      await sha256File(packagePath);
      hashMs.push(performance.now() - started);
      started = performance.now();
      const report = await verifyPackage(packagePath);
      verifyMs.push(performance.now() - started);
      verdict = report.ok ? 'ok' : `FAILED: ${report.summary}`;
    }
    log(`verify: ${verdict} (${verifyMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}; sha256 ${hashMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')})`);
    figures.push(
      compare({
        id: 'verify',
        label: 'verify the CSV package',
        size: size.label,
        records,
        ours: summarize(verifyMs),
        baseline: { label: 'sha256 of the package bytes', ...summarize(hashMs) },
        note: `verdict ${verdict}`,
      }),
    );

    if (size.events <= 100_000) {
      const xlsxMs: number[] = [];
      for (let i = 0; i < 2; i++) xlsxMs.push((await exportOnce('records-xlsx.zip', ['xlsx'])).ms);
      figures.push(compare({ id: 'export.xlsx', label: 'signed XLSX package, all records', size: size.label, records, ours: summarize(xlsxMs) }, records));
    }
  } finally {
    reader.close();
    cache.close();
    rmSync(work, { recursive: true, force: true });
  }
  return figures;
};

async function rawDump(db: Database.Database, path: string): Promise<void> {
  const out = createWriteStream(path);
  let pending = '';
  for (const row of db.prepare(DUMP_SQL).raw().iterate() as IterableIterator<unknown[]>) {
    pending += csvLine(row.map((v) => (v === null ? '' : String(v))));
    if (pending.length > 1 << 18) {
      if (!out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()));
      pending = '';
    }
  }
  await new Promise<void>((r) => out.end(pending, () => r()));
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
