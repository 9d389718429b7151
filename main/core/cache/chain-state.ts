import type Database from 'better-sqlite3-multiple-ciphers';

/** Hash of the last record ever inserted and its seq (table chain_state). */
export interface ChainHead {
  head: string;
  lastSeq: number;
}

export function readChainHead(db: Database.Database): ChainHead {
  const row = db.prepare('SELECT head, last_seq AS lastSeq FROM chain_state WHERE id = 1').get() as ChainHead;
  return row;
}
