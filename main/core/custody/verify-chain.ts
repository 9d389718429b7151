import type Database from 'better-sqlite3-multiple-ciphers';
import { CUSTODY_GENESIS, custodyHash, type CustodyEntry } from './entry';
import { toEntry, type CustodyRow } from './custody-log';

export interface CustodyBreak {
  /** The first seq that does not check out (for a cut-off tail: the first missing seq). */
  seq: number;
  reason: string;
}

export interface CustodyChainResult {
  ok: boolean;
  entries: number;
  head: string;
  firstBroken?: CustodyBreak;
}

/**
 * Walks the stored chain from the start: seq must run 1, 2, 3, ... ; each prev_hash must equal the
 * previous hash; each hash must recompute; and the last entry must be the recorded head (so cutting
 * entries off the end is caught too). Streams rows, so a long log costs no memory.
 */
export function verifyCustodyChain(db: Database.Database): CustodyChainResult {
  const rows = db.prepare('SELECT seq, at, actor, action, details, prev_hash, hash FROM custody ORDER BY seq').iterate() as IterableIterator<CustodyRow>;
  const result = verifyCustodyEntries((function* () {
    for (const row of rows) yield toEntryOrNull(row);
  })());
  if (!result.ok) return result;
  const state = db.prepare('SELECT head, last_seq FROM custody_state WHERE id = 1').get() as { head: string; last_seq: number } | undefined;
  if (!state || state.last_seq !== result.entries || state.head !== result.head) {
    const seq = Math.min(result.entries, state?.last_seq ?? 0) + 1;
    return { ...result, ok: false, firstBroken: { seq, reason: `the chain ends at entry ${result.entries} but ${state?.last_seq ?? 0} entries were written; entries were removed from the end` } };
  }
  return result;
}

/**
 * The same walk over entries from anywhere (custody.json of a package, a test). A package may
 * carry the whole chain from entry 1, which is what this checks; `null` stands for an unreadable row.
 */
export function verifyCustodyEntries(entries: Iterable<CustodyEntry | null>): CustodyChainResult {
  let expectedSeq = 1;
  let head = CUSTODY_GENESIS;
  for (const entry of entries) {
    const broken = (reason: string): CustodyChainResult => ({ ok: false, entries: expectedSeq - 1, head, firstBroken: { seq: entry?.seq ?? expectedSeq, reason } });
    if (entry === null) return broken('the entry cannot be read (details are not JSON)');
    if (entry.seq !== expectedSeq) {
      return { ok: false, entries: expectedSeq - 1, head, firstBroken: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing (next is ${entry.seq})` } };
    }
    if (entry.prev_hash !== head) return broken('its prev_hash does not match the previous entry');
    if (custodyHash(entry.prev_hash, entry) !== entry.hash) return broken('its content does not match its hash (edited)');
    head = entry.hash;
    expectedSeq++;
  }
  return { ok: true, entries: expectedSeq - 1, head };
}

function toEntryOrNull(row: CustodyRow): CustodyEntry | null {
  try {
    return toEntry(row);
  } catch {
    return null;
  }
}
