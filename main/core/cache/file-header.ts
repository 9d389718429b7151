import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3-multiple-ciphers';
import { getMeta, setMeta } from './meta';

/**
 * The first bytes of an encrypted cache file are not covered by any page's authentication tag:
 * bytes 0–15 hold the cipher's salt, which a raw-key AEGIS cache never reads, and bytes 16–23 a
 * few plain SQLite header fields. Changing them alters no record, but `check` promises that any
 * change to the file is reported, so the salt is kept inside the (authenticated) database as well
 * and the header fields are checked against what SQLite allows.
 */
const SALT_META_KEY = 'page_salt';
const SALT_BYTES = 16;

/** Records the salt the connection uses, if not yet known (new caches, and older ones on first open). */
export function recordFileSalt(db: Database.Database): void {
  if (getMeta(db, SALT_META_KEY) !== undefined) return;
  const salt = connectionSalt(db);
  if (salt) setMeta(db, SALT_META_KEY, salt);
}

/** After a rekey the cipher may have chosen a new salt: record the new one. */
export function rerecordFileSalt(db: Database.Database): void {
  const salt = connectionSalt(db);
  if (salt) setMeta(db, SALT_META_KEY, salt);
}

/** What is wrong with the file's unauthenticated header, or null when it is as recorded. */
export function fileHeaderProblem(db: Database.Database): string | null {
  const header = readHeader(db.name);
  // A cache whose pages still live only in the WAL has no header in the main file yet.
  if (header.length < 24) return null;
  const recorded = getMeta(db, SALT_META_KEY);
  const salt = header.subarray(0, SALT_BYTES).toString('hex').toUpperCase();
  if (recorded !== undefined && recorded.toUpperCase() !== salt) return `the file header changed: its salt is ${salt}, the cache recorded ${recorded.toUpperCase()}`;
  const pageSize = header.readUInt16BE(16);
  const expectedPageSize = db.pragma('page_size', { simple: true }) as number;
  // The field holds 1 for 65536-byte pages.
  if (pageSize !== (expectedPageSize === 65536 ? 1 : expectedPageSize)) return `the file header changed: page size field ${pageSize}, the database uses ${expectedPageSize}`;
  // File format write and read versions: 1 (rollback journal) or 2 (WAL), nothing else.
  for (const at of [18, 19]) {
    if (header[at] !== 1 && header[at] !== 2) return `the file header changed: byte ${at} (file format version) is ${header[at]}, not 1 or 2`;
  }
  // Payload fractions, fixed by the SQLite file format.
  if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) return 'the file header changed: the payload fraction bytes are not 64, 32, 32';
  return null;
}

function connectionSalt(db: Database.Database): string | null {
  const rows = db.pragma('cipher_salt') as Array<Record<string, string>>;
  const value = rows[0] ? Object.values(rows[0])[0] : undefined;
  return value && /^[0-9A-Fa-f]{32}$/.test(value) ? value.toUpperCase() : null;
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(24);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
