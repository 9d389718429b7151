import type Database from 'better-sqlite3-multiple-ciphers';
import { CHAIN_GENESIS, chainHash, sha256Hex } from '../records/canonical';
import { cacheDbPath } from './cache';
import { readChainHead } from './chain-state';
import { openEncryptedDb } from './connection';
import { CacheError } from './errors';
import { unlockWithPassphrase } from './keys';
import { fileHeaderProblem } from './file-header';
import { summaryMismatch } from './summaries';

export interface BrokenRecord {
  seq: number;
  id: string;
  reason: string;
}

export interface CheckResult {
  ok: boolean;
  /** 'ok', or what SQLite / the page cipher reported. */
  integrity: string;
  /** Records verified. */
  records: number;
  firstBroken?: BrokenRecord;
  /** Set when the count tables behind the side panels disagree with the records (see summaries.ts). */
  summaries?: string;
  /** Set when the full-text index does not cover exactly the stored records. */
  searchIndex?: string;
}

/**
 * Verifies a cache end to end: page authentication (cipher_integrity_check, and every page read
 * checks its tag), SQLite's structure (integrity_check), then every record's sha256 and chain link
 * in insertion order and the stored chain head, then that the summary count tables agree with the
 * records and that the full-text index covers exactly the stored records. A database that cannot
 * be read at all is reported, not thrown; a wrong passphrase still throws, since nothing was
 * checked.
 */
export function checkCache(dir: string, passphrase: string): CheckResult {
  const key = unlockWithPassphrase(dir, passphrase);
  let db: Database.Database;
  try {
    db = openEncryptedDb(cacheDbPath(dir), key, { readonly: true, create: false });
  } catch (error) {
    if (error instanceof CacheError && error.kind === 'damaged') return { ok: false, integrity: error.message, records: 0 };
    throw error;
  }
  try {
    return checkOpenDb(db);
  } finally {
    db.close();
  }
}

export function checkOpenDb(db: Database.Database): CheckResult {
  let integrity: string;
  try {
    integrity = storageIntegrity(db);
  } catch (error) {
    return { ok: false, integrity: `cache damaged: ${(error as Error).message}`, records: 0 };
  }
  if (integrity !== 'ok') return { ok: false, integrity, records: 0 };
  try {
    const chain = verifyChain(db);
    if (chain.firstBroken) return { ok: false, integrity, ...chain };
    const summaries = summaryMismatch(db);
    if (summaries !== null) return { ok: false, integrity, ...chain, summaries };
    const searchIndex = searchIndexMismatch(db);
    return searchIndex === null ? { ok: true, integrity, ...chain } : { ok: false, integrity, ...chain, searchIndex };
  } catch (error) {
    return { ok: false, integrity: `cache damaged: ${(error as Error).message}`, records: 0 };
  }
}

/**
 * The full-text index is written by the insert code per batch (migration 006), not by a trigger,
 * so a batch that was stored but never indexed would make search silently miss those records.
 * Every record has one document-size row in the index (records_fts_docsize, keyed by seq); the
 * counts and the seq ranges must agree. (FTS5's own content check is a write command, and `check`
 * opens the cache read-only.)
 */
export function searchIndexMismatch(db: Database.Database): string | null {
  const records = db.prepare('SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM records').get() as { n: number; lo: number | null; hi: number | null };
  const indexed = db.prepare('SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM records_fts_docsize').get() as { n: number; lo: number | null; hi: number | null };
  if (records.n === indexed.n && records.lo === indexed.lo && records.hi === indexed.hi) return null;
  return `the search index holds ${indexed.n} records (seq ${indexed.lo ?? '–'}..${indexed.hi ?? '–'}), the cache ${records.n} (seq ${records.lo ?? '–'}..${records.hi ?? '–'}); search results would miss or invent records`;
}

function storageIntegrity(db: Database.Database): string {
  const cipherProblems = db.pragma('cipher_integrity_check') as Array<Record<string, unknown>>;
  if (cipherProblems.length > 0) {
    return `cipher integrity: ${cipherProblems.map((row) => Object.values(row).join(' ')).slice(0, 5).join('; ')}`;
  }
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  const messages = rows.map((r) => r.integrity_check);
  if (!(messages.length === 1 && messages[0] === 'ok')) return messages.slice(0, 5).join('; ');
  return fileHeaderProblem(db) ?? 'ok';
}

/** Re-hashes every record and follows the chain (purge holes must match a recorded checkpoint). */
export function verifyChain(db: Database.Database): { records: number; firstBroken?: BrokenRecord } {
  const gaps = new Map<number, string>(
    (db.prepare('SELECT after_seq AS afterSeq, resumes_from AS resumesFrom FROM purge_gaps').all() as Array<{ afterSeq: number; resumesFrom: string }>).map((g) => [
      g.afterSeq,
      g.resumesFrom,
    ]),
  );
  const rows = db.prepare('SELECT seq, id, canonical, sha256, prev_hash AS prevHash, chain_hash AS chainHash FROM records ORDER BY seq').iterate() as IterableIterator<{
    seq: number;
    id: string;
    canonical: string;
    sha256: string;
    prevHash: string;
    chainHash: string;
  }>;
  let expectedPrev = CHAIN_GENESIS;
  let previousSeq = 0;
  let records = 0;
  for (const row of rows) {
    records++;
    const broken = (reason: string) => ({ records, firstBroken: { seq: row.seq, id: row.id, reason } });
    if (sha256Hex(row.canonical) !== row.sha256) return broken('record content does not match its sha256 (altered)');
    if (row.prevHash !== expectedPrev && gaps.get(previousSeq) !== row.prevHash) {
      return broken('prev_hash does not link to the previous record (a record was removed, inserted or reordered)');
    }
    if (chainHash(row.prevHash, row.sha256) !== row.chainHash) return broken('chain_hash is not sha256(prev_hash ‖ sha256)');
    expectedPrev = row.chainHash;
    previousSeq = row.seq;
  }
  const head = readChainHead(db);
  if (head.head !== expectedPrev && gaps.get(previousSeq) !== head.head) {
    return { records, firstBroken: { seq: head.lastSeq, id: '', reason: 'records after the last one present are missing (chain head does not match)' } };
  }
  return { records };
}
