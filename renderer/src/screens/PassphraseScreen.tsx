import { useState, type FormEvent } from 'react';
import type { Session } from '../../../preload/contract';
import { call, errorMessage } from '../api/api';
import { useSessionStore } from '../state/session-store';

/**
 * "create": the first sync for this account on this machine — choose the passphrase that protects
 * the cache. "unlock": the cache exists — enter its passphrase.
 */
export function PassphraseScreen({ mode, session }: { mode: 'create' | 'unlock'; session: Session }) {
  const setSession = useSessionStore((s) => s.setSession);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === 'create' && passphrase !== repeat) return setError('The two passphrases differ.');
    if (mode === 'create' && passphrase.length < 8) return setError('Use at least 8 characters.');
    setBusy(true);
    try {
      setSession(await call(mode === 'create' ? 'session.createCache' : 'session.unlock', { passphrase }));
    } catch (e) {
      setError(errorMessage(e));
      setPassphrase('');
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => setSession(await call('session.signOut', {}));
  const who = `${session.user?.username ?? 'unknown'} @ ${session.gatewayUrl ?? ''}`;

  return (
    <main className="auth-screen">
      <section className="auth-card" aria-labelledby="pass-title">
        <h1 id="pass-title">{mode === 'create' ? 'Protect your local cache' : 'Unlock your cache'}</h1>
        <p className="muted">{who}</p>
        <p className="muted small">
          {mode === 'create'
            ? 'Audit logs are stored on this machine encrypted. Choose a passphrase; without it nobody (including you) can read the cache.'
            : 'The cache is encrypted. Enter its passphrase to review offline.'}
        </p>
        <form onSubmit={submit} aria-label={mode === 'create' ? 'Create cache' : 'Unlock cache'}>
          <label>
            Passphrase
            <input name="passphrase" type="password" required autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete={mode === 'create' ? 'new-password' : 'current-password'} />
          </label>
          {mode === 'create' && (
            <label>
              Repeat passphrase
              <input name="repeat" type="password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" />
            </label>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Working…' : mode === 'create' ? 'Create cache and sync' : 'Unlock'}
          </button>
        </form>
        <button type="button" className="link" onClick={() => void signOut()}>
          Use another account
        </button>
      </section>
    </main>
  );
}
