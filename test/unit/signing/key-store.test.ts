import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3-multiple-ciphers';
import { activeSigningKey, findActiveSigningKey, publicKeys, rotateSigningKey } from '../../../main/core/signing/key-store';
import { publicKeyFingerprint } from '../../../main/core/signing/keys';
import { signBytes, verifyBytes } from '../../../main/core/signing/signature';
import { freshDb } from '../custody/fresh-db';

let db: Database.Database;
afterEach(() => db?.close());

describe('signing key store', () => {
  it('creates one Ed25519 key on first use and returns the same one afterwards', () => {
    db = freshDb();
    expect(findActiveSigningKey(db)).toBeNull();
    const key = activeSigningKey(db, 1000);
    expect(key.fingerprint).toBe(publicKeyFingerprint(key.publicPem));
    expect(key.createdAt).toBe(1000);
    expect(activeSigningKey(db, 2000)).toEqual(key);
    const data = Buffer.from('manifest');
    expect(verifyBytes(key.publicPem, data, signBytes(key.privatePem, data))).toBe(true);
    expect(publicKeys(db)).toEqual([{ fingerprint: key.fingerprint, publicPem: key.publicPem, createdAt: 1000, retiredAt: null }]);
  });

  it('rotation retires the old key, erases its private half and keeps its public key', () => {
    db = freshDb();
    const first = activeSigningKey(db, 1000);
    const { retired, active } = rotateSigningKey(db, 2000);
    expect(retired).toEqual({ fingerprint: first.fingerprint, publicPem: first.publicPem, createdAt: 1000, retiredAt: 2000 });
    expect(active.fingerprint).not.toBe(first.fingerprint);
    expect(activeSigningKey(db, 3000).fingerprint).toBe(active.fingerprint);
    expect(publicKeys(db).map((k) => [k.fingerprint, k.retiredAt])).toEqual([
      [active.fingerprint, null],
      [first.fingerprint, 2000],
    ]);
    const stored = db.prepare('SELECT private_pem FROM signing_keys WHERE id = ?').get(first.fingerprint) as { private_pem: string | null };
    expect(stored.private_pem).toBeNull();
    rotateSigningKey(db, 4000);
    expect(publicKeys(db)).toHaveLength(3);
    expect(publicKeys(db).filter((k) => k.retiredAt === null)).toHaveLength(1);
  });

  it('the database refuses deleting keys, editing them, un-retiring or a second active key', () => {
    db = freshDb();
    const first = activeSigningKey(db, 1000);
    expect(() => db.prepare('DELETE FROM signing_keys').run()).toThrow(/kept forever/);
    expect(() => db.prepare("UPDATE signing_keys SET public_pem = 'x'").run()).toThrow(/only be retired/);
    rotateSigningKey(db, 2000);
    expect(() => db.prepare('UPDATE signing_keys SET retired_at = NULL WHERE id = ?').run(first.fingerprint)).toThrow(/only be retired/);
    expect(() =>
      db.prepare("INSERT INTO signing_keys (id, private_pem, public_pem, created_at) VALUES ('x', 'p', 'q', 1)").run(),
    ).toThrow(/UNIQUE/);
  });

  it('rotating a cache that never had a key just creates one', () => {
    db = freshDb();
    const { retired, active } = rotateSigningKey(db, 5);
    expect(retired).toBeNull();
    expect(publicKeys(db).map((k) => k.fingerprint)).toEqual([active.fingerprint]);
  });
});
