import type Database from 'better-sqlite3-multiple-ciphers';
import { anomalyConfigSchema, defaultAnomalyConfig } from '../anomalies/config';
import { findingSummary, findingsForRecord, listFindings } from '../anomalies/read';
import { addSuppression, liftSuppression, loadSuppressions, readAnomalyConfig, writeAnomalyConfig, type ScanSummary } from '../anomalies/store';
import { RULE_IDS, type RuleId } from '../anomalies/rule-ids';
import type { Handlers } from './dispatcher';
import { AppError } from './errors';

/** findings.*, suppressions.* and anomaly settings over the open cache. */
export function createFindingHandlers(deps: {
  reader: () => Database.Database | null;
  writer: () => Database.Database | null;
  author: () => string;
  now: () => number;
  /** Runs an anomaly scan of the open cache (off the main thread, one at a time; see create-app). */
  scan: (full: boolean) => Promise<ScanSummary>;
}) {
  const reader = () => deps.reader() ?? locked();
  const writer = () => deps.writer() ?? locked();
  return {
    'findings.summary': () => findingSummary(reader()),
    'findings.list': (input) => listFindings(reader(), input),
    'findings.forRecord': ({ id }) => findingsForRecord(reader(), id),
    'findings.rescan': async ({ full }) => {
      const summary = await deps.scan(full);
      return { mode: summary.mode, written: summary.written, newHigh: summary.newHigh.length, seconds: summary.seconds };
    },
    'suppressions.list': () => loadSuppressions(reader()),
    'suppressions.add': ({ rule, match, reason, expires_at }) => {
      if (!(RULE_IDS as readonly string[]).includes(rule)) throw new AppError('invalid_input', `unknown rule "${rule}"`);
      return addSuppression(writer(), { rule: rule as RuleId, match, reason, ...(expires_at !== undefined ? { expires_at } : {}) }, deps.author(), deps.now());
    },
    'suppressions.lift': ({ id, reason }) => {
      liftSuppression(writer(), id, reason, deps.author(), deps.now());
      return { ok: true as const };
    },
    'anomalies.config': () => ({ config: anomalyConfigSchema.parse(readAnomalyConfig(reader())), defaults: defaultAnomalyConfig }),
    'anomalies.setConfig': async ({ config }) => {
      try {
        writeAnomalyConfig(writer(), config);
      } catch (error) {
        throw new AppError('invalid_input', `settings not saved: ${(error as Error).message}`);
      }
      await deps.scan(true);
      return { config: anomalyConfigSchema.parse(readAnomalyConfig(writer())) };
    },
  } satisfies Partial<Handlers>;
}

function locked(): never {
  throw new AppError('locked', 'The cache is locked. Unlock it to see findings.');
}
