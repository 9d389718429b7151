import { useEffect, useState, type FormEvent } from 'react';
import type { KnownCache } from '../../../preload/contract';
import { call, errorMessage } from '../api/api';
import { formatAgo } from '../lib/format';
import { useSessionStore } from '../state/session-store';

type Method = 'password' | 'token';

/** Sign in to a gateway with a password or an access token, try the demo, or open a cache offline. */
export function SignInScreen() {
  const setSession = useSessionStore((s) => s.setSession);
  const [gatewayUrl, setGatewayUrl] = useState('');
  const [method, setMethod] = useState<Method>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState<null | 'signin' | 'demo'>(null);
  const [error, setError] = useState<string | null>(null);
  const [known, setKnown] = useState<KnownCache[]>([]);

  useEffect(() => {
    call('session.knownCaches', {}).then(setKnown).catch(() => setKnown([]));
  }, []);

  const run = async (kind: 'signin' | 'demo', action: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('signin', async () => {
      const credentials =
        method === 'token' ? { kind: 'token' as const, token: token.trim() } : { kind: 'password' as const, username: username.trim(), password };
      setSession(await call('session.signIn', { gatewayUrl: gatewayUrl.trim(), credentials }));
    });
  };

  const useDemo = () => void run('demo', async () => setSession(await call('session.useDemoGateway', {})));

  return (
    <main className="auth-screen">
      <section className="auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">Audit Review</h1>
        <p className="muted">Sign in to your API7 gateway to sync the audit logs your account may read.</p>
        <form onSubmit={submit} aria-label="Sign in">
          <label>
            Gateway URL
            <input
              name="gatewayUrl"
              type="url"
              required
              placeholder="https://api7.example.com"
              value={gatewayUrl}
              onChange={(e) => setGatewayUrl(e.target.value)}
              autoComplete="url"
            />
          </label>
          <fieldset className="segmented">
            <legend>Sign in with</legend>
            <label>
              <input type="radio" name="method" checked={method === 'password'} onChange={() => setMethod('password')} /> Username and password
            </label>
            <label>
              <input type="radio" name="method" checked={method === 'token'} onChange={() => setMethod('token')} /> Access token
            </label>
          </fieldset>
          {method === 'password' ? (
            <>
              <label>
                Username
                <input name="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
              </label>
              <label>
                Password
                <input name="password" type="password" required value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
              </label>
            </>
          ) : (
            <label>
              Access token
              <input name="token" type="password" required placeholder="a7ee-…" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
            </label>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'signin' ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <div className="divider">or</div>
        <button type="button" onClick={useDemo} disabled={busy !== null}>
          {busy === 'demo' ? 'Starting the demo gateway…' : 'Use the demo gateway'}
        </button>
        <p className="muted small">The demo gateway runs inside the app with generated history, signed in as the demo auditor.</p>
        {known.length > 0 && (
          <section aria-labelledby="known-title" className="known-caches">
            <h2 id="known-title">Open a synced cache offline</h2>
            <ul>
              {known.map((cache) => (
                <li key={cache.id}>
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void run('signin', async () => setSession(await call('session.openKnownCache', { id: cache.id })))}
                  >
                    {cache.username} @ {cache.gatewayUrl}
                  </button>
                  <span className="muted small"> synced {formatAgo(cache.lastSyncedAt)}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </section>
    </main>
  );
}
