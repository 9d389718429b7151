import { create } from 'zustand';
import type { Session, SyncProgress } from '../../../preload/contract';

/** Who is signed in, the cache's lock state, and the sync status — mirrored from the main side. */
interface SessionSlice {
  session: Session | null;
  sync: SyncProgress | null;
  setSession(session: Session): void;
  setSync(progress: SyncProgress): void;
}

export const useSessionStore = create<SessionSlice>((set) => ({
  session: null,
  sync: null,
  setSession: (session) => set({ session }),
  setSync: (sync) => set({ sync }),
}));
