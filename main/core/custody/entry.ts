import { CHAIN_GENESIS, canonicalJson, sha256Hex } from '../records/canonical';
import type { CustodyAction } from './actions';

/** One link of the chain of custody, as stored and as exported in custody.json. */
export interface CustodyEntry {
  seq: number;
  /** Unix seconds. */
  at: number;
  actor: string;
  action: CustodyAction;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const CUSTODY_GENESIS = CHAIN_GENESIS;

/**
 * hash = sha256(prev_hash ‖ canonicalJson({seq, at, actor, action, details})). The seq is hashed so
 * entries cannot be reordered or renumbered; anyone holding custody.json can recompute every link
 * with nothing but SHA-256 and the canonical JSON rule (sorted keys, no whitespace).
 */
export function custodyHash(prevHash: string, entry: Pick<CustodyEntry, 'seq' | 'at' | 'actor' | 'action' | 'details'>): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, details: entry.details });
  return sha256Hex(prevHash + body);
}
