import type { AuditEntry } from '../core/records/entry';

/** The filters the list and export endpoints accept (API7's published query parameters). */
export interface StoreFilter {
  event_type?: string;
  operator_id?: string;
  resource_id?: string;
  /** Unix seconds, inclusive. */
  start_at?: number;
  /** Unix seconds, inclusive. */
  end_at?: number;
}

export interface StoreQuery extends StoreFilter {
  direction?: 'asc' | 'desc';
  /** From 1. */
  page?: number;
  page_size?: number;
}

export interface StorePage {
  total: number;
  list: AuditEntry[];
}

/** How many filtered selections to remember; a sync pages through one selection at a time. */
const SELECTION_CACHE = 8;

/**
 * The demo gateway's audit log, in memory: entries sorted by event_time then id. A time window is
 * two binary searches; other filters scan the window once and the matching positions are cached,
 * so paging through a filtered million-entry log does not rescan it for every page.
 */
export class AuditStore {
  private readonly entries: AuditEntry[];
  private version = 0;
  private readonly selections = new Map<string, Int32Array>();

  constructor(entries: AuditEntry[] = [], alreadySorted = false) {
    this.entries = alreadySorted ? entries : [...entries].sort(compareEntries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The newest event_time, or undefined when empty. */
  get lastEventTime(): number | undefined {
    return this.entries[this.entries.length - 1]?.event_time;
  }

  /** Read-only view of all entries in order (do not mutate them: bodies are shared). */
  all(): readonly AuditEntry[] {
    return this.entries;
  }

  /** Adds an entry at its place in time order (usually the end: live events and the gateway's own calls). */
  append(entry: AuditEntry): void {
    const last = this.entries[this.entries.length - 1];
    if (!last || compareEntries(last, entry) <= 0) this.entries.push(entry);
    else this.entries.splice(this.upperBoundEntry(entry), 0, entry);
    this.version++;
    this.selections.clear();
  }

  query(query: StoreQuery): StorePage {
    const pageSize = Math.max(1, Math.floor(query.page_size ?? 20));
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const desc = (query.direction ?? 'desc') === 'desc';
    const skip = (page - 1) * pageSize;
    const [lo, hi] = this.window(query);
    const list: AuditEntry[] = [];
    if (!hasFieldFilter(query)) {
      const total = hi - lo;
      for (let k = skip; k < Math.min(total, skip + pageSize); k++) {
        list.push(this.entries[desc ? hi - 1 - k : lo + k] as AuditEntry);
      }
      return { total, list };
    }
    const positions = this.select(query, lo, hi);
    const total = positions.length;
    for (let k = skip; k < Math.min(total, skip + pageSize); k++) {
      list.push(this.entries[positions[desc ? total - 1 - k : k] as number] as AuditEntry);
    }
    return { total, list };
  }

  /**
   * Every match in order, in chunks (for streaming exports without one huge array). The selection
   * is fixed when this is called: entries appended while the export streams are not in it.
   */
  scan(filter: StoreFilter, direction: 'asc' | 'desc' = 'desc', chunk = 1000): Iterable<AuditEntry[]> {
    const [lo, hi] = this.window(filter);
    const positions = hasFieldFilter(filter) ? this.select(filter, lo, hi) : null;
    const total = positions ? positions.length : hi - lo;
    const entries = this.entries;
    const at = (k: number): AuditEntry => {
      const index = direction === 'desc' ? total - 1 - k : k;
      return entries[positions ? (positions[index] as number) : lo + index] as AuditEntry;
    };
    return (function* () {
      for (let start = 0; start < total; start += chunk) {
        const part: AuditEntry[] = [];
        for (let k = start; k < Math.min(total, start + chunk); k++) part.push(at(k));
        yield part;
      }
    })();
  }

  count(filter: StoreFilter): number {
    const [lo, hi] = this.window(filter);
    return hasFieldFilter(filter) ? this.select(filter, lo, hi).length : hi - lo;
  }

  /** [lo, hi) positions of entries with start_at <= event_time <= end_at. */
  private window(filter: StoreFilter): [number, number] {
    const lo = filter.start_at === undefined ? 0 : this.lowerBound(filter.start_at);
    const hi = filter.end_at === undefined ? this.entries.length : this.lowerBound(filter.end_at + 1);
    return [lo, Math.max(lo, hi)];
  }

  /** First position whose event_time >= t. */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as AuditEntry).event_time < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBoundEntry(entry: AuditEntry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(this.entries[mid] as AuditEntry, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private select(filter: StoreFilter, lo: number, hi: number): Int32Array {
    const key = `${this.version}|${lo}|${hi}|${filter.event_type ?? ''}|${filter.operator_id ?? ''}|${filter.resource_id ?? ''}`;
    const cached = this.selections.get(key);
    if (cached) return cached;
    const matches = new Int32Array(hi - lo);
    let n = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.entries[i] as AuditEntry;
      if (filter.event_type !== undefined && e.event_type !== filter.event_type) continue;
      if (filter.operator_id !== undefined && e.operator.id !== filter.operator_id) continue;
      if (filter.resource_id !== undefined && e.resource_id !== filter.resource_id) continue;
      matches[n++] = i;
    }
    const result = matches.slice(0, n);
    if (this.selections.size >= SELECTION_CACHE) this.selections.delete(this.selections.keys().next().value as string);
    this.selections.set(key, result);
    return result;
  }
}

function hasFieldFilter(f: StoreFilter): boolean {
  return f.event_type !== undefined || f.operator_id !== undefined || f.resource_id !== undefined;
}

export function compareEntries(a: AuditEntry, b: AuditEntry): number {
  return a.event_time - b.event_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
