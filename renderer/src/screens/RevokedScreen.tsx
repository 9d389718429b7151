import type { Session } from '../../../preload/contract';
import { call } from '../api/api';
import { useSessionStore } from '../state/session-store';

/** The gateway revoked this account's access: the cache stays closed until a new sign-in. */
export function RevokedScreen({ session }: { session: Session }) {
  const setSession = useSessionStore((s) => s.setSession);
  return (
    <main className="auth-screen">
      <section className="auth-card" aria-labelledby="revoked-title">
        <h1 id="revoked-title">Access revoked</h1>
        <p role="alert">{session.revokedReason ?? 'The gateway no longer allows this account to read audit logs.'}</p>
        <p className="muted small">The cache stays locked. Sign in again with an account that may read audit logs, or delete the cache.</p>
        <button type="button" className="primary" onClick={() => void call('session.signOut', {}).then(setSession)}>
          Sign in again
        </button>
        <button type="button" onClick={() => void call('session.deleteCache', { confirm: true }).then(() => call('session.signOut', {})).then(setSession)}>
          Delete the cache
        </button>
      </section>
    </main>
  );
}
