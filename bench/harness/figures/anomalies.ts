import { scanCache } from '../../../main/core/anomalies/from-cache';
import type { TaskFn } from '../child';
import { openDatasetCache, openDatasetReader } from '../dataset';
import { compare } from '../figure';
import { summarize } from '../stats';

/**
 * Full anomaly scan of every record in the encrypted cache (read + all rules), the way the app runs
 * it (reader threads opened with the cache key), against reading the same rows' scan columns alone
 * on one connection (the I/O and decryption floor of a single-threaded scan).
 */
export const anomalyFigures: TaskFn = async (size, log) => {
  const runs = size.events <= 100_000 ? 3 : 2;
  const cache = openDatasetCache(size);
  const reader = openDatasetReader(cache);
  const scanMs: number[] = [];
  const readMs: number[] = [];
  let findings = 0;
  let read = '';
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    let rows = 0;
    for (const _ of reader.prepare('SELECT seq, id, event_time, operator_id, operator_username, event_type, resource_id, ip_address, token_name, status_code, failed, http_uri FROM records ORDER BY seq').raw().iterate()) rows++;
    readMs.push(performance.now() - started);
    started = performance.now();
    const result = scanCache(reader, { parallel: { key: cache.key } });
    scanMs.push(performance.now() - started);
    findings = result.findings.length;
    read = `${result.read.order} order, ${result.read.threads} reader thread(s)`;
    log(`scan ${i + 1}/${runs}: ${findings} findings in ${(scanMs.at(-1)! / 1000).toFixed(2)} s, ${read} (read alone ${(readMs.at(-1)! / 1000).toFixed(2)} s, ${rows} rows)`);
  }
  reader.close();
  cache.close();
  return [
    compare(
      { id: 'anomalies.full-scan', label: 'anomaly full scan', size: size.label, records: size.events, ours: summarize(scanMs), baseline: { label: 'read the scan columns only', ...summarize(readMs) }, note: `${findings} findings; ${read}` },
      size.events,
    ),
  ];
};
