import type { EventBus } from './event-bus';

/**
 * Live watch: while signed in and unlocked, sync in the background every `intervalMinutes`, so the
 * anomaly rules see new records soon after they happen (the sync runner runs the scan and emits
 * `findings.new`). Never more than one sync at a time; when the gateway is unreachable it backs
 * off (doubling up to an hour) and says so.
 */
export interface WatchSettings {
  enabled: boolean;
  intervalMinutes: number;
}

export interface WatchStatus extends WatchSettings {
  nextRunAt: number | null;
  backoffMinutes: number | null;
  lastError: string | null;
}

export interface LiveWatchDeps {
  bus: EventBus;
  /** True when a sync could run now (online, unlocked, not revoked). */
  canSync(): boolean;
  isSyncing(): boolean;
  /** Starts a sync and resolves with its outcome once it has finished. */
  runSync(): Promise<{ ok: boolean; unreachable: boolean; message: string | null }>;
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

const MAX_BACKOFF_MINUTES = 60;

export function createLiveWatch(deps: LiveWatchDeps, initial: WatchSettings = { enabled: true, intervalMinutes: 5 }) {
  let settings = { ...initial };
  let timer: { cancel(): void } | null = null;
  let nextRunAt: number | null = null;
  let backoffMinutes: number | null = null;
  let lastError: string | null = null;

  const status = (): WatchStatus => ({ ...settings, nextRunAt, backoffMinutes, lastError });
  const schedule = (minutes: number) => {
    timer?.cancel();
    nextRunAt = deps.now() + Math.round(minutes * 60);
    timer = deps.setTimer(() => void tick(), minutes * 60_000);
  };
  const stop = () => {
    timer?.cancel();
    timer = null;
    nextRunAt = null;
  };

  const tick = async () => {
    if (!settings.enabled || !deps.canSync()) return stop();
    if (deps.isSyncing()) return schedule(settings.intervalMinutes);
    const outcome = await deps.runSync();
    if (outcome.unreachable) {
      backoffMinutes = Math.min(MAX_BACKOFF_MINUTES, backoffMinutes === null ? settings.intervalMinutes * 2 : backoffMinutes * 2);
      lastError = outcome.message;
      deps.bus.emit('notice', { level: 'warning', message: `The gateway is unreachable (${outcome.message ?? 'no answer'}); working offline, retrying in ${backoffMinutes} min.` });
      schedule(backoffMinutes);
      return;
    }
    backoffMinutes = null;
    lastError = outcome.ok ? null : outcome.message;
    if (outcome.ok || deps.canSync()) schedule(settings.intervalMinutes);
    else stop();
  };

  return {
    status,
    /** Call when the session becomes ready or changes: (re)starts or stops the schedule. */
    sessionChanged() {
      if (settings.enabled && deps.canSync()) {
        if (nextRunAt === null) schedule(settings.intervalMinutes);
      } else {
        stop();
      }
    },
    configure(next: Partial<WatchSettings>) {
      settings = { ...settings, ...next };
      stop();
      if (settings.enabled && deps.canSync()) schedule(settings.intervalMinutes);
      return status();
    },
    /** For tests and "sync now": run one cycle immediately. */
    runNow: () => tick(),
    stop,
  };
}

export type LiveWatch = ReturnType<typeof createLiveWatch>;
