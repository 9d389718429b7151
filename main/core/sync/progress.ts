/** What a running sync reports, at most a few times a second, to the CLI line or the UI. */
export interface SyncProgress {
  phase: 'counting' | 'syncing' | 'done';
  /** Entries received in this run (new and already-stored). */
  records: number;
  /** Of those, rows actually added. */
  inserted: number;
  /** Entries the gateway reported for the whole range of this run, when known. */
  total?: number;
  /** Entries per second in this run. */
  rate: number;
  etaSeconds?: number;
  /** The window being fetched (Unix seconds, inclusive). */
  window: { start: number; end: number };
}

/** Tracks rate and ETA; the clock is injected so tests can fake time. */
export function progressMeter(clockMs: () => number) {
  const started = clockMs();
  return (p: Omit<SyncProgress, 'rate' | 'etaSeconds'>): SyncProgress => {
    const seconds = Math.max((clockMs() - started) / 1000, 0.001);
    const rate = p.records / seconds;
    const remaining = p.total === undefined ? undefined : Math.max(p.total - p.records, 0);
    const etaSeconds = remaining !== undefined && rate > 0 ? Math.ceil(remaining / rate) : undefined;
    return { ...p, rate: Math.round(rate), ...(etaSeconds !== undefined ? { etaSeconds } : {}) };
  };
}
