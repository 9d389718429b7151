import type { AuditApi, EventName } from '../../../preload/contract';
import { unwrap, type Dispatch } from './dispatcher';
import type { EventBus } from './event-bus';

/** The contract served in-process: what tests use to drive handlers without any transport. */
export function createInProcessApi(dispatch: Dispatch, bus: EventBus): AuditApi {
  return {
    async call(name, input) {
      // A JSON round trip keeps the in-process transport as strict as IPC and HTTP: plain data only.
      const result = await dispatch(name, JSON.parse(JSON.stringify(input ?? {})));
      return unwrap(result) as never;
    },
    on(name, listener) {
      return bus.subscribe((eventName: EventName, payload) => {
        if (eventName === name) listener(payload as never);
      });
    },
  };
}
