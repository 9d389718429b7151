import type { Session, SyncProgress } from '../../../preload/contract';
import { call } from '../api/api';
import { formatAgo, formatCount } from '../lib/format';
import { usePrefsStore } from '../state/prefs-store';
import { useSessionStore } from '../state/session-store';
import { WatchToggle } from './WatchToggle';

/** Who and where, sync status with progress and cancel, last-synced time, and global toggles. */
export function TopBar({ session, sync, onHelp, onSettings }: { session: Session; sync: SyncProgress | null; onHelp(): void; onSettings(): void }) {
  const setSession = useSessionStore((s) => s.setSession);
  const { theme, setTheme, timeZone, setTimeZone } = usePrefsStore();
  const running = sync?.running === true;
  const percent = sync?.total ? Math.min(100, Math.round((sync.records / sync.total) * 100)) : null;

  return (
    <header className="top-bar">
      <strong className="brand">Audit Review</strong>
      <span className="who" title={session.gatewayUrl ?? ''}>
        {session.user?.username} @ {session.isDemo ? 'demo gateway' : session.gatewayUrl}
        {!session.online && (
          <span className="badge" title="Working from the local cache without the gateway">
            offline{session.leaseDaysLeft !== null ? ` · ${Math.floor(session.leaseDaysLeft)} days left` : ''}
          </span>
        )}
      </span>
      <div className="sync-status" role="status" aria-live="polite" data-testid="sync-status">
        {running ? (
          <>
            <progress max={100} value={percent ?? undefined} aria-label="Sync progress" />
            <span>
              Syncing {formatCount(sync.records)}
              {sync.total ? ` / ${formatCount(sync.total)}` : ''} · {formatCount(Math.round(sync.rate))}/s
              {sync.etaSeconds !== null ? ` · ${sync.etaSeconds}s left` : ''}
            </span>
            <button type="button" onClick={() => void call('sync.cancel', {})}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <span title={session.lastSyncedAt ? new Date(session.lastSyncedAt * 1000).toISOString() : undefined}>
              {formatCount(session.recordCount ?? 0)} records · synced {formatAgo(session.lastSyncedAt)}
            </span>
            {sync?.phase === 'failed' && <span className="error">{sync.message}</span>}
            {sync?.phase === 'failed' && sync.errorCode === 'unauthorized' && (
              <button type="button" onClick={() => void call('session.signOut', {}).then(setSession)}>
                Sign in again
              </button>
            )}
            {sync?.phase === 'cancelled' && <span className="muted">{sync.message}</span>}
            <button type="button" onClick={() => void call('sync.start', {})} disabled={!session.online} title={session.online ? 'Fetch new audit entries' : 'Sign in to sync'}>
              Sync now
            </button>
          </>
        )}
      </div>
      <div className="toggles">
        <WatchToggle online={session.online} />
        <button type="button" aria-pressed={timeZone === 'utc'} onClick={() => setTimeZone(timeZone === 'utc' ? 'local' : 'utc')} title="Show times in UTC or local time">
          {timeZone === 'utc' ? 'UTC' : 'Local time'}
        </button>
        <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Switch theme">
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        <button type="button" onClick={onSettings}>
          Settings
        </button>
        <button type="button" onClick={onHelp} aria-label="Keyboard shortcuts">
          ?
        </button>
        <button type="button" onClick={() => void call('session.lock', {}).then(setSession)}>
          Lock
        </button>
        <button type="button" onClick={() => void call('session.signOut', {}).then(setSession)}>
          Sign out
        </button>
      </div>
    </header>
  );
}
