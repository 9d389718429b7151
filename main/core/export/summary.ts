import { eventType } from '../catalog/catalog';
import { isFailed, type AuditEntry } from '../records/entry';

/** Counts for the XLSX Summary sheet, gathered while records stream past (one Map per dimension). */
export class ExportSummary {
  records = 0;
  failed = 0;
  firstEventTime: number | null = null;
  lastEventTime: number | null = null;
  readonly byEventType = new Map<string, number>();
  readonly byOperator = new Map<string, number>();
  readonly byFlag = new Map<string, number>();

  add(entry: AuditEntry): void {
    this.records++;
    if (isFailed(entry)) this.failed++;
    const t = entry.event_time;
    if (this.firstEventTime === null || t < this.firstEventTime) this.firstEventTime = t;
    if (this.lastEventTime === null || t > this.lastEventTime) this.lastEventTime = t;
    bump(this.byEventType, entry.event_type);
    bump(this.byOperator, entry.operator.username || entry.operator.id || '(none)');
    for (const flag of eventType(entry.event_type).flags) bump(this.byFlag, flag);
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Findings by their `severity` field (findings come from the anomalies module as plain JSON). */
export function countBySeverity(findings: unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const severity = f !== null && typeof f === 'object' ? (f as Record<string, unknown>).severity : undefined;
    bump(counts, typeof severity === 'string' && severity !== '' ? severity : '(unspecified)');
  }
  return counts;
}

/** Sorted by count, largest first, then by key, for stable reports. */
export function sortedCounts(map: Map<string, number>): Array<[string, number]> {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
