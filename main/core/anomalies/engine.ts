import type { AnomalyConfigInput } from './config';
import { createDetector } from './detector';
import type { AnomalyEvent } from './event';
import type { Finding } from './finding';
import type { RuleId } from './rule-ids';

export interface DetectOptions {
  config?: AnomalyConfigInput;
  rules?: readonly RuleId[];
}

/** Full scan: runs the rules over events in event_time order and returns every finding. */
export function detectAnomalies(events: Iterable<AnomalyEvent>, options: DetectOptions = {}): Finding[] {
  const detector = createDetector(options);
  for (const event of events) detector.push(event);
  return detector.flush();
}

export { createDetector, requiredHistorySeconds, SnapshotMismatchError } from './detector';
export type { AnomalyDetector, DetectorOptions } from './detector';
