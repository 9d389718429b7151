import { events, type EventName, type EventPayload } from '../../../preload/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Fan-out of contract events to every connected transport (IPC window, browser sockets, tests). */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
      const checked = events[name].parse(payload);
      for (const listener of listeners) listener(name, checked);
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
