import { useEffect } from 'react';
import { call, on } from './api/api';
import { PassphraseScreen } from './screens/PassphraseScreen';
import { RevokedScreen } from './screens/RevokedScreen';
import { SignInScreen } from './screens/SignInScreen';
import { WorkspaceScreen } from './screens/WorkspaceScreen';
import { usePrefsStore } from './state/prefs-store';
import { useSessionStore } from './state/session-store';

/** Chooses the screen from the session state the main side reports; nothing else lives here. */
export function App() {
  const session = useSessionStore((s) => s.session);
  const setSession = useSessionStore((s) => s.setSession);
  const setSync = useSessionStore((s) => s.setSync);
  const theme = usePrefsStore((s) => s.theme);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const offSession = on('session.changed', setSession);
    const offSync = on('sync.progress', setSync);
    call('session.get', {}).then(setSession).catch(() => undefined);
    call('sync.status', {}).then(setSync).catch(() => undefined);
    return () => {
      offSession();
      offSync();
    };
  }, [setSession, setSync]);

  if (!session) return <div className="splash" role="status">Starting…</div>;
  switch (session.state) {
    case 'signed-out':
      return <SignInScreen />;
    case 'needs-passphrase':
      return <PassphraseScreen mode="create" session={session} />;
    case 'locked':
      return <PassphraseScreen mode="unlock" session={session} />;
    case 'revoked':
      return <RevokedScreen session={session} />;
    case 'ready':
      return <WorkspaceScreen session={session} />;
  }
}
