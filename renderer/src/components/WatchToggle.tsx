import { useEffect, useState } from 'react';
import type { WatchStatus } from '../../../preload/contract';
import { call, on } from '../api/api';

/** Background sync ("live watch") on or off, with when it runs next or why it is backing off. */
export function WatchToggle({ online }: { online: boolean }) {
  const [status, setStatus] = useState<WatchStatus | null>(null);
  useEffect(() => {
    const load = () => void call('watch.status', {}).then(setStatus).catch(() => undefined);
    load();
    const offSync = on('sync.progress', (p) => !p.running && load());
    const offSession = on('session.changed', load);
    return () => {
      offSync();
      offSession();
    };
  }, []);
  if (!status || !online) return null;
  const next = status.nextRunAt ? new Date(status.nextRunAt * 1000).toLocaleTimeString() : null;
  const title = status.backoffMinutes
    ? `Gateway unreachable (${status.lastError ?? 'no answer'}); retrying every ${status.backoffMinutes} min`
    : next
      ? `Next background sync at ${next}`
      : 'Background sync is off';
  return (
    <button type="button" aria-pressed={status.enabled} title={title} onClick={() => void call('watch.configure', { enabled: !status.enabled }).then(setStatus)}>
      {status.enabled ? `Auto-sync every ${status.intervalMinutes} min` : 'Auto-sync off'}
      {status.backoffMinutes ? ' (offline)' : ''}
    </button>
  );
}
