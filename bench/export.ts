import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvLine } from '../main/core/export/csv-cells';
import { writePackage, type PackageMeta } from '../main/core/export/package-writer';
import { RECORD_COLUMNS, entryToRow } from '../main/core/export/record-columns';
import type { AuditEntry } from '../main/core/records/entry';
import { generateSigningKey } from '../main/core/signing/keys';
import { verifyPackage } from '../main/core/verify/verify-package';

/**
 * `npm run bench -- export [records=1000000] [xlsxRecords=100000]`
 * Goals (issue 8): 1M records → signed CSV package ≤ 10 s and ≤ 400 MB peak RSS; XLSX of 100k
 * ≤ 15 s; verify of the 1M package ≤ 3 s. A raw CSV dump of the same rows (what `sqlite3 -csv`
 * does: format and write, no hashing, no zip) is timed in the same run for comparison.
 */
const EVENT_TYPES = ['UpdateRoute', 'CreateService', 'DeleteRoute', 'Login', 'UpdateConsumer', 'PublishService', 'DeleteUser'];

export function* syntheticEntries(count: number): Generator<AuditEntry> {
  for (let i = 0; i < count; i++) {
    const op = i % 37;
    yield {
      id: `01HZX${String(i).padStart(21, '0')}`,
      event_time: 1764061200 + i,
      operator: { id: `u-${op}`, username: `user${op}`, email: `user${op}@example.com`, first_name: 'Jane', last_name: `Doe${op}` },
      source: i % 3 === 0 ? 'api' : 'dashboard',
      token_name: i % 3 === 0 ? 'ci-deploy' : '',
      event_type: EVENT_TYPES[i % EVENT_TYPES.length],
      resource_id: `r-${i % 5000}`,
      resource_name: `service-${i % 5000}`,
      gateway_group_id: 'default',
      ip_address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      error_message: i % 50 === 0 ? 'upstream timeout' : '',
      http_request: {
        method: 'PUT',
        uri: `/api/gateway_groups/default/routes/r-${i % 5000}`,
        body: { name: `service-${i % 5000}`, paths: [`/svc/${i % 5000}/*`], timeout: 30 },
        user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      },
      http_response: { status_code: i % 50 === 0 ? 504 : 200, body: {} },
    };
  }
}

export const benchMeta: PackageMeta = {
  exporter: { user_id: 'u-bench', username: 'bench', gateway_url: 'https://gw.example' },
  app_version: 'bench',
  filter: { text: '', model: null },
  time_range: { from: null, to: null },
};

function peakRssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function timed<T>(label: string, goalSeconds: number | null, work: () => Promise<T>): Promise<T> {
  const rss = peakRssSampler();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const peak = rss.stop();
  const verdict = goalSeconds === null ? '' : seconds <= goalSeconds ? `  (goal ≤ ${goalSeconds} s: met)` : `  (goal ≤ ${goalSeconds} s: MISSED)`;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s   peak RSS ${mb(peak)}${verdict}`);
  return result;
}

async function rawCsvDump(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  let pending = RECORD_COLUMNS.join(',') + '\r\n';
  for (const entry of syntheticEntries(count)) {
    pending += csvLine(entryToRow(entry));
    if (pending.length > 1 << 18) {
      if (!out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()));
      pending = '';
    }
  }
  await new Promise<void>((resolve) => out.end(pending, () => resolve()));
}

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 1_000_000);
  const xlsxCount = Number(args[1] ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), 'bench-export-'));
  const key = generateSigningKey();
  try {
    console.log(`export bench: ${count.toLocaleString('en-US')} records (CSV), ${xlsxCount.toLocaleString('en-US')} (XLSX)`);
    await timed(`raw CSV dump (${count})`, null, () => rawCsvDump(join(dir, 'raw.csv'), count));
    const csvPackage = join(dir, 'csv.zip');
    const result = await timed(`signed CSV package (${count})`, 10, () =>
      writePackage({ outPath: csvPackage, records: syntheticEntries(count), totalRecords: count, formats: ['csv'], meta: benchMeta, signingKey: key }),
    );
    console.log(`  package ${mb(result.bytes)} (raw CSV ${mb((await stat(join(dir, 'raw.csv'))).size)})`);
    const verified = await timed(`verify CSV package (${count})`, 3, () => verifyPackage(csvPackage));
    if (!verified.ok) console.log(`  VERIFY FAILED: ${verified.summary}`);
    await timed(`signed XLSX package (${xlsxCount})`, 15, () =>
      writePackage({ outPath: join(dir, 'xlsx.zip'), records: syntheticEntries(xlsxCount), formats: ['xlsx'], meta: benchMeta, signingKey: key }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
