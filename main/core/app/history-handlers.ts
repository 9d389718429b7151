import type Database from 'better-sqlite3-multiple-ciphers';
import { changesAround, recordMoment } from '../history/around';
import { resourceHistory, stateAt } from '../history/resource-history';
import type { Handlers } from './dispatcher';
import { AppError } from './errors';

/** history.* — a resource's change history, its state at a moment, and the changes around a moment. */
export function createHistoryHandlers(deps: { reader: () => Database.Database | null }) {
  const reader = () => {
    const db = deps.reader();
    if (!db) throw new AppError('locked', 'Unlock the cache to see change history.');
    return db;
  };
  return {
    'history.resource': ({ resourceId, limit }) => resourceHistory(reader(), resourceId, { limit }),
    'history.stateAt': ({ resourceId, time }) => stateAt(reader(), resourceId, time),
    'history.around': ({ time, recordId, minutes }) => {
      const db = reader();
      const moment = time ?? recordMoment(db, recordId!);
      if (moment === null) throw new AppError('not_found', `Record ${recordId} is not in this cache; sync or pick another record.`);
      return changesAround(db, { time: moment, minutes });
    },
  } satisfies Partial<Handlers>;
}
