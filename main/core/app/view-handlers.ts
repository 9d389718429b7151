import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { savedViewSchema, type SavedView } from '../../../preload/contract';
import type { Handlers } from './dispatcher';
import { AppError } from './errors';

/** Saved views (name + filter + columns + sort), stored in the encrypted cache. */
export function createViewHandlers(db: () => Database.Database | null, now: () => number) {
  const open = () => {
    const handle = db();
    if (!handle) throw new AppError('locked', 'Unlock the cache to use saved views.');
    return handle;
  };
  return {
    'views.list': () =>
      (open().prepare('SELECT definition FROM saved_views ORDER BY name COLLATE NOCASE').all() as { definition: string }[]).flatMap((row) => {
        const parsed = savedViewSchema.safeParse(JSON.parse(row.definition));
        return parsed.success ? [parsed.data] : [];
      }),
    'views.save': (input) => {
      const handle = open();
      const existing = input.id
        ? (handle.prepare('SELECT created_at FROM saved_views WHERE id = ?').get(input.id) as { created_at: number } | undefined)
        : undefined;
      const view: SavedView = { ...input, id: existing ? input.id! : randomUUID(), created_at: existing?.created_at ?? now() };
      handle
        .prepare(
          `INSERT INTO saved_views (id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, definition = excluded.definition, updated_at = excluded.updated_at`,
        )
        .run(view.id, view.name, JSON.stringify(view), view.created_at, now());
      return view;
    },
    'views.delete': ({ id }) => {
      open().prepare('DELETE FROM saved_views WHERE id = ?').run(id);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers>;
}
