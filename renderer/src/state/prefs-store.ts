import { create } from 'zustand';

/** Display preferences that survive restarts (kept in localStorage: no secrets, no records). */
export type Theme = 'dark' | 'light';
export type TimeZoneMode = 'local' | 'utc';

interface PrefsSlice {
  theme: Theme;
  timeZone: TimeZoneMode;
  setTheme(theme: Theme): void;
  setTimeZone(mode: TimeZoneMode): void;
}

const STORAGE_KEY = 'audit-review.prefs';

function load(): Pick<PrefsSlice, 'theme' | 'timeZone'> {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<PrefsSlice>;
    return {
      theme: saved.theme === 'light' ? 'light' : 'dark',
      timeZone: saved.timeZone === 'utc' ? 'utc' : 'local',
    };
  } catch {
    return { theme: 'dark', timeZone: 'local' };
  }
}

export const usePrefsStore = create<PrefsSlice>((set, get) => {
  const persist = () => localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: get().theme, timeZone: get().timeZone }));
  return {
    ...load(),
    setTheme: (theme) => {
      set({ theme });
      persist();
    },
    setTimeZone: (timeZone) => {
      set({ timeZone });
      persist();
    },
  };
});
