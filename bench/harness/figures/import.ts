import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, openReader } from '../../../main/core/cache/cache';
import { importFile } from '../../../main/core/import/import-file';
import { createQueryService } from '../../../main/core/query/query-service';
import type { TaskFn } from '../child';
import { BENCH_OWNER, BENCH_PASSPHRASE, BENCH_SCRYPT, DATASET_NOW, datasetPaths } from '../dataset';
import { compare, type Figure } from '../figure';
import { summarize } from '../stats';

/** The question asked of the file: every Delete* event, counted, newest 200 first. */
const FILTER = { eventTypes: ['Delete*'] };
const PATTERN = '"event_type":"Delete';
const LNAV_SQL = "SELECT count(*) OVER () AS matches, id FROM api7_audit WHERE event_type LIKE 'Delete%' ORDER BY log_time DESC LIMIT 200";

/**
 * An lnav log format for the gateway's NDJSON export, so lnav parses every line as JSON and the
 * fields become SQL columns: the nearest lnav gets to what import does (parse, index, filter).
 * Without it lnav sees plain text, and a filter is a regular expression over lines, like grep.
 */
const LNAV_FORMAT = {
  $schema: 'https://lnav.org/schemas/format-v1.schema.json',
  api7_audit: {
    title: 'API7 audit log (NDJSON export)',
    description: 'One API7 gateway audit entry per line',
    json: true,
    'file-pattern': '\\.ndjson$',
    'timestamp-field': 'event_time',
    'timestamp-format': ['%s'],
    'opid-field': 'id',
    'line-format': [{ field: '__timestamp__' }, ' ', { field: 'event_type' }, ' ', { field: 'id' }],
    value: {
      id: { kind: 'string', identifier: true },
      event_type: { kind: 'string', identifier: true },
      source: { kind: 'string', identifier: true },
      ip_address: { kind: 'string', identifier: true },
      error_message: { kind: 'string' },
      operator: { kind: 'json' },
      http_request: { kind: 'json' },
      http_response: { kind: 'json' },
    },
  },
};

interface Timed {
  ms: number;
  peakRssMb?: number;
  stdout: string;
}

/**
 * Open a gateway's NDJSON export and answer a question: `import` into a fresh encrypted cache, then
 * count + first page of a filter, against lnav doing the same on the same file (when installed):
 * lnav with a JSON format for the export and the same question in SQL; lnav's plain-text
 * `filter-in`; and, for scale, grep (no parsing, no storage, nothing kept).
 */
export const importFigures: TaskFn = async (size, log) => {
  const runs = size.events <= 100_000 ? 2 : 1;
  const file = datasetPaths(size).ndjson;
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-import-'));
  const oursMs: number[] = [];
  let matches = 0;
  let phases = '';
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cache = openCache(join(work, `c${i}`), { passphrase: BENCH_PASSPHRASE, create: BENCH_OWNER, scrypt: BENCH_SCRYPT, origin: `import:${file}` });
      const phaseMs: Record<string, number> = {};
      let phase: string | undefined;
      let phaseStart = started;
      const result = await importFile({
        cache,
        path: file,
        now: DATASET_NOW,
        onProgress: (p) => {
          if (p.phase === phase) return;
          if (phase) phaseMs[phase] = performance.now() - phaseStart;
          phase = p.phase;
          phaseStart = performance.now();
        },
      });
      if (phase) phaseMs[phase] = performance.now() - phaseStart;
      const filterStart = performance.now();
      const reader = openReader(cache.dir, cache.key);
      const query = createQueryService(reader, { now: () => DATASET_NOW });
      matches = query.count(FILTER);
      query.page(FILTER, { column: 'event_time', direction: 'desc' }, 0, 200);
      const filterMs = performance.now() - filterStart;
      oursMs.push(performance.now() - started);
      reader.close();
      cache.close();
      rmSync(join(work, `c${i}`), { recursive: true, force: true });
      phases = `${Object.entries(phaseMs).map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}, filter ${seconds(filterMs)}`;
      log(`import ${result.imported} + filter (${matches} matches): ${seconds(oursMs.at(-1)!)} (${phases})`);
      // One slow run says enough; repeating a multi-minute import only risks the task timeout.
      if (oursMs.at(-1)! > 60_000) break;
    }

    const grepMs: number[] = [];
    for (let i = 0; i < 3; i++) grepMs.push(timed('grep', ['-c', PATTERN, file]).ms);
    const ours = summarize(oursMs);
    const label = 'import NDJSON + filter';
    const note = `${matches} matches; ${phases}`;
    const figures: Figure[] = [];
    const lnav = lnavPath();
    if (lnav) {
      // lnav keeps state under $HOME; a private one leaves the user's alone and starts every run equal.
      const home = join(work, 'lnav-home');
      const config = join(work, 'lnav-config');
      mkdirSync(home);
      mkdirSync(join(config, 'formats', 'api7'), { recursive: true });
      writeFileSync(join(config, 'formats', 'api7', 'api7_audit.json'), JSON.stringify(LNAV_FORMAT, null, 2));
      const env = { ...process.env, HOME: home };
      const sql: Timed[] = [];
      const text: Timed[] = [];
      for (let i = 0; i < oursMs.length; i++) {
        // -n: headless; the last command's result (the SQL rows, or the filtered lines) goes to stdout.
        sql.push(timed(lnav, ['-I', config, '-n', '-c', `;${LNAV_SQL}`, file], env));
        text.push(timed(lnav, ['-n', '-c', `:filter-in ${PATTERN}`, file], env));
      }
      const lnavMatches = /^\s*(\d+)\s/m.exec(sql[0]!.stdout)?.[1];
      const rss = (t: Timed[]) => (t[0]!.peakRssMb !== undefined ? `, lnav peak RSS ${t[0]!.peakRssMb} MB` : '');
      figures.push(
        compare(
          { id: 'import.filter', label, size: size.label, records: size.events, ours, baseline: { label: 'lnav -n, JSON log format, SQL count + newest 200 of Delete*', ...summarize(sql.map((t) => t.ms)) }, note: `${note}; lnav counted ${lnavMatches ?? '?'}${rss(sql)}` },
          size.events,
        ),
      );
      const textLines = text[0]!.stdout.split('\n').filter((l) => l !== '').length;
      figures.push(
        compare({ id: 'import.lnav-text', label: `${label} (vs lnav as plain text)`, size: size.label, records: size.events, ours, baseline: { label: 'lnav -n :filter-in on the same file (no JSON parsing)', ...summarize(text.map((t) => t.ms)) }, note: `lnav printed ${textLines} lines${rss(text)}` }),
      );
    } else {
      const reason = 'lnav is not installed (install it with: apt-get install -y lnav); compared with grep only';
      log(reason);
      figures.push(compare({ id: 'import.filter', label, size: size.label, records: size.events, ours, note, skipped: reason }, size.events));
    }
    figures.push(compare({ id: 'import.grep', label: `${label} (vs grep -c, for scale)`, size: size.label, records: size.events, ours, baseline: { label: 'grep -c on the same file', ...summarize(grepMs) } }));
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

/** Wall time of a command; its peak RSS too where GNU time is there to measure it. */
function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): Timed {
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  // stdin closed: lnav reads a piped stdin as one more log file.
  const options = { encoding: 'utf8' as const, maxBuffer: 1 << 30, env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  const run = gnuTime ? spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', command, ...args], options) : spawnSync(command, args, options);
  const ms = performance.now() - started;
  const kb = /peak-rss-kb (\d+)/.exec(run.stderr ?? '')?.[1];
  return { ms, stdout: run.stdout ?? '', ...(kb ? { peakRssMb: Math.round(Number(kb) / 1024) } : {}) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function lnavPath(): string | null {
  try {
    return execFileSync('which', ['lnav'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
