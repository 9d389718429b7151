import type Database from 'better-sqlite3-multiple-ciphers';

/** The sync cursor (table sync_state; see migrations/001_initial.ts for each field). */
export interface SyncCursor {
  syncedUntil: number | null;
  windowStart: number | null;
  windowEnd: number | null;
  windowNextPage: number | null;
  windowTotal: number | null;
  windowPageSize: number | null;
  gatewayTotal: number | null;
  lastSyncStartedAt: number | null;
  lastSyncCompletedAt: number | null;
}

/** Fields to change, committed in the same transaction as the rows they describe. */
export type CursorUpdate = Partial<SyncCursor>;

const COLUMNS: Record<keyof SyncCursor, string> = {
  syncedUntil: 'synced_until',
  windowStart: 'window_start',
  windowEnd: 'window_end',
  windowNextPage: 'window_next_page',
  windowTotal: 'window_total',
  windowPageSize: 'window_page_size',
  gatewayTotal: 'gateway_total',
  lastSyncStartedAt: 'last_sync_started_at',
  lastSyncCompletedAt: 'last_sync_completed_at',
};

export function readSyncCursor(db: Database.Database): SyncCursor {
  const row = db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as Record<string, number | null>;
  const cursor = {} as SyncCursor;
  for (const [field, column] of Object.entries(COLUMNS) as Array<[keyof SyncCursor, string]>) {
    cursor[field] = row[column] ?? null;
  }
  return cursor;
}

export function writeSyncCursor(db: Database.Database, update: CursorUpdate): void {
  const fields = (Object.keys(update) as Array<keyof SyncCursor>).filter((f) => f in COLUMNS);
  if (fields.length === 0) return;
  const assignments = fields.map((f) => `${COLUMNS[f]} = ?`).join(', ');
  db.prepare(`UPDATE sync_state SET ${assignments} WHERE id = 1`).run(...fields.map((f) => update[f] ?? null));
}
