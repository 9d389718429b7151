import type Database from 'better-sqlite3-multiple-ciphers';
import { anomalyConfigSchema, defaultAnomalyConfig } from '../anomalies/config';
import { findingSummary, findingsForRecord, listFindings } from '../anomalies/read';
import { addSuppression, liftSuppression, loadSuppressions, readAnomalyConfig, runAnomalyScan, writeAnomalyConfig } from '../anomalies/store';
import { RULE_IDS, type RuleId } from '../anomalies/rule-ids';
import type { Handlers } from './dispatcher';
import { AppError } from './errors';

/** findings.*, suppressions.* and anomaly settings over the open cache. */
export function createFindingHandlers(deps: {
  reader: () => Database.Database | null;
  writer: () => Database.Database | null;
  author: () => string;
  now: () => number;
  /** The open cache's key: full scans then read with worker threads on their own connections. */
  key: () => Buffer | null;
}) {
  const reader = () => deps.reader() ?? locked();
  const writer = () => deps.writer() ?? locked();
  const parallel = () => {
    const key = deps.key();
    return key ? { parallel: { key } } : {};
  };
  return {
    'findings.summary': () => findingSummary(reader()),
    'findings.list': (input) => listFindings(reader(), input),
    'findings.forRecord': ({ id }) => findingsForRecord(reader(), id),
    'findings.rescan': ({ full }) => {
      const summary = runAnomalyScan(writer(), { now: deps.now(), full, ...parallel() });
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
    'anomalies.setConfig': ({ config }) => {
      try {
        writeAnomalyConfig(writer(), config);
      } catch (error) {
        throw new AppError('invalid_input', `settings not saved: ${(error as Error).message}`);
      }
      runAnomalyScan(writer(), { now: deps.now(), full: true, ...parallel() });
      return { config: anomalyConfigSchema.parse(readAnomalyConfig(writer())) };
    },
  } satisfies Partial<Handlers>;
}

function locked(): never {
  throw new AppError('locked', 'The cache is locked. Unlock it to see findings.');
}
