import type Database from 'better-sqlite3-multiple-ciphers';
import type { Actor } from './actor';
import { applyAddTag, applyRemoveTag } from './apply';
import { statementsFor } from './statements';
import { requireTarget } from './targets';
import type { AnnotationVersion, Target } from './types';
import { validAuthor, validTag } from './validate';

/** Tags a target; returns the new version, or null when it already had the tag. */
export function addTag(db: Database.Database, target: Target, tag: string, actor: Actor): AnnotationVersion | null {
  const value = validTag(tag);
  const author = validAuthor(actor.author);
  const s = statementsFor(db);
  return db.transaction(() => applyAddTag(s, requireTarget(s, target), value, author, actor.now())).immediate();
}

/** Removes a tag (a tombstone version); returns null when the target did not have it. */
export function removeTag(db: Database.Database, target: Target, tag: string, actor: Actor): AnnotationVersion | null {
  const value = validTag(tag);
  const author = validAuthor(actor.author);
  const s = statementsFor(db);
  return db.transaction(() => applyRemoveTag(s, requireTarget(s, target), value, author, actor.now())).immediate();
}

export interface TagCount {
  tag: string;
  /** How many records and findings carry it now. */
  count: number;
}

/**
 * Tags in use, most used first, for autocomplete. The prefix matches case-insensitively so typing
 * "q4" offers "Q4-review" too; LIKE's wildcards in the prefix are escaped, so they match literally.
 */
export function listTags(db: Database.Database, prefix = '', limit = 20): TagCount[] {
  const pattern = `${prefix.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .prepare(
      `SELECT value AS tag, count(*) AS count FROM annotation_state
        WHERE kind = 'tag' AND value LIKE ? ESCAPE '\\'
        GROUP BY value ORDER BY count DESC, value LIMIT ?`,
    )
    .all(pattern, Math.max(1, Math.min(limit, 200))) as TagCount[];
}
