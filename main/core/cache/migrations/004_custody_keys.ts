import type { Migration } from './migration';

/**
 * Schema v4 — the cache's signing keys and its chain of custody.
 *
 * signing_keys — the Ed25519 key pairs this cache signs export packages with (one active at a time).
 *   id            fingerprint: sha256 hex of the DER SubjectPublicKeyInfo (signing/keys.ts).
 *   private_pem   PKCS#8 PEM. It exists only inside this encrypted database, and only while the key
 *                 is active: retiring a key erases it, so a retired key can never sign again.
 *   public_pem    SPKI PEM, kept forever so packages signed before a rotation stay checkable.
 *   created_at, retired_at   Unix seconds; retired_at is NULL for the active key.
 *   Rows are never deleted; the only update allowed is retiring an active key (see the trigger).
 *
 * custody — the app's own append-only activity log, hash-chained like the records:
 *   seq           1, 2, 3, ... with no gaps (AUTOINCREMENT, never deleted), part of the hashed entry.
 *   at            Unix seconds.  actor  who did it (username or 'system').
 *   action        'sign-in' | 'sync' | 'unlock' | 'import' | 'annotation' | 'suppression' | 'export' |
 *                 'verify' | 'purge' | 'key-created' | 'key-rotated' | ... (open list, see custody/actions.ts).
 *   details       canonical JSON object.
 *   prev_hash     hash of the previous entry (64 zeros for the first).
 *   hash          sha256(prev_hash ‖ canonicalJson({seq, at, actor, action, details})).
 * custody_state — single row: head = hash of the last entry, last_seq. Written in the same
 *   transaction as every append, so cutting entries off the end is detected by the chain check.
 */
export const migration004: Migration = {
  version: 4,
  name: 'custody_keys',
  up(db) {
    db.exec(`
      CREATE TABLE signing_keys (
        id TEXT PRIMARY KEY,
        private_pem TEXT,
        public_pem TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER,
        CHECK ((retired_at IS NULL) = (private_pem IS NOT NULL))
      );
      CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((1)) WHERE retired_at IS NULL;
      CREATE TRIGGER signing_keys_only_retire BEFORE UPDATE ON signing_keys
      WHEN NOT (old.retired_at IS NULL AND new.retired_at IS NOT NULL AND new.private_pem IS NULL
                AND new.id = old.id AND new.public_pem = old.public_pem AND new.created_at = old.created_at)
      BEGIN SELECT RAISE(ABORT, 'signing keys can only be retired, never edited'); END;
      CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
      BEGIN SELECT RAISE(ABORT, 'signing keys are kept forever so old packages stay verifiable'); END;

      CREATE TABLE custody (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX custody_action ON custody (action, seq);
      CREATE INDEX custody_at ON custody (at);
      CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody
      BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END;
      CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
      BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END;

      CREATE TABLE custody_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        head TEXT NOT NULL,
        last_seq INTEGER NOT NULL
      );
      INSERT INTO custody_state (id, head, last_seq) VALUES (1, '${'0'.repeat(64)}', 0);
    `);
  },
};
