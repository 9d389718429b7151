import { useEffect } from 'react';
import { call } from '../api/api';

/**
 * Tells the main side that someone is using the app (keyboard, mouse, scroll), at most once a
 * minute, so the idle auto-lock only fires when nobody is there.
 */
export function useActivityPing(): void {
  useEffect(() => {
    let last = 0;
    const ping = () => {
      const now = Date.now();
      if (now - last < 60_000) return;
      last = now;
      void call('session.activity', {}).catch(() => undefined);
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, ping, { passive: true });
    return () => {
      for (const name of events) window.removeEventListener(name, ping);
    };
  }, []);
}
