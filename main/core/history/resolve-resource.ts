import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * People often know a resource by its name ("payments-v2") rather than its id. An id that appears
 * in the cache wins; otherwise the ids that have carried this name are returned (one means found,
 * several mean the name was reused and the caller must ask which).
 */
export function resolveResource(db: Database.Database, idOrName: string): { id: string } | { candidates: string[] } {
  const byId = db.prepare('SELECT 1 FROM records WHERE resource_id = ? LIMIT 1').get(idOrName);
  if (byId) return { id: idOrName };
  // resource_name has no index; this scan only happens when the id lookup found nothing.
  const ids = (db.prepare("SELECT DISTINCT resource_id FROM records WHERE resource_name = ? AND resource_id <> '' LIMIT 20").all(idOrName) as { resource_id: string }[]).map((r) => r.resource_id);
  return ids.length === 1 ? { id: ids[0]! } : { candidates: ids };
}
