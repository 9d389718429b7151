import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CacheError } from './errors';
import { KEYS_FILE } from './paths';

/**
 * The cache's database key: 32 random bytes, applied to the page cipher (connection.ts) as a raw key (no PBKDF2 on every
 * open). It is stored only wrapped, in `keys.json` next to the database:
 * - by the user's passphrase: scrypt (parameters recorded) → AES-256-GCM;
 * - optionally by other wrappers (Electron `safeStorage` in the app) under their name.
 * A key check value (HMAC of a constant under the key) lets any wrapper's result be verified in
 * constant time, so a wrapper that returns garbage is caught before the database sees the key.
 */
export const RAW_KEY_BYTES = 32;

/** A second way to wrap the key (the app implements it with Electron safeStorage). */
export interface KeyWrapper {
  readonly name: string;
  wrap(plain: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** ~32 MiB and ~100 ms on a laptop: slow enough to hurt guessing, fast enough to unlock. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

interface PassphraseWrap {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  wrapped: string;
}

interface KeyFile {
  version: 1;
  /** HMAC-SHA256(key, KEY_CHECK_LABEL), hex. */
  check: string;
  passphrase: PassphraseWrap;
  /** Other wrappers by name, base64 of what they returned. */
  wrappers: Record<string, string>;
  /**
   * Only while a rekey runs (or after one was interrupted): the new key, wrapped by the same
   * passphrase, so whichever key the database ended up with can still be unwrapped.
   */
  pending?: { check: string; passphrase: PassphraseWrap };
}

const KEY_CHECK_LABEL = 'audit-review cache key check v1';
const WRAP_AAD = Buffer.from('audit-review cache key v1');

export function keyFilePath(dir: string): string {
  return join(dir, KEYS_FILE);
}

export function hasKeyFile(dir: string): boolean {
  return existsSync(keyFilePath(dir));
}

/** Makes a new random key, writes keys.json wrapped by the passphrase, returns the raw key. */
export function createCacheKey(dir: string, passphrase: string, scrypt: ScryptParams = DEFAULT_SCRYPT): Buffer {
  requirePassphrase(passphrase);
  const key = randomBytes(RAW_KEY_BYTES);
  writeKeyFile(dir, { version: 1, check: keyCheck(key), passphrase: wrapWithPassphrase(key, passphrase, scrypt), wrappers: {} });
  return key;
}

/** Unwraps the key with the passphrase; a wrong one → CacheError('wrong_passphrase'). */
export function unlockWithPassphrase(dir: string, passphrase: string): Buffer {
  const file = readKeyFile(dir);
  const key = unwrapWithPassphrase(file.passphrase, passphrase);
  verifyKey(file, key, 'wrong_passphrase');
  return key;
}

/** Unwraps with another wrapper; null when that wrapper was never added to this cache. */
export function unlockWithWrapper(dir: string, wrapper: KeyWrapper): Buffer | null {
  const file = readKeyFile(dir);
  const blob = file.wrappers[wrapper.name];
  if (blob === undefined) return null;
  let key: Buffer;
  try {
    key = wrapper.unwrap(Buffer.from(blob, 'base64'));
  } catch {
    throw new CacheError('wrong_passphrase', `the ${wrapper.name} key store could not unlock this cache; use the passphrase`);
  }
  verifyKey(file, key, 'wrong_passphrase');
  return key;
}

/** Adds (or replaces) a wrapper's copy of the key; the caller has unlocked the key already. */
export function addKeyWrapper(dir: string, key: Buffer, wrapper: KeyWrapper): void {
  const file = readKeyFile(dir);
  verifyKey(file, key, 'wrong_passphrase');
  file.wrappers[wrapper.name] = wrapper.wrap(key).toString('base64');
  writeKeyFile(dir, file);
}

export function removeKeyWrapper(dir: string, name: string): void {
  const file = readKeyFile(dir);
  delete file.wrappers[name];
  writeKeyFile(dir, file);
}

/** Re-wraps the same key under a new passphrase; the database is not touched. */
export function changePassphrase(dir: string, oldPassphrase: string, newPassphrase: string, scrypt: ScryptParams = DEFAULT_SCRYPT): void {
  requirePassphrase(newPassphrase);
  const file = readKeyFile(dir);
  const key = unwrapWithPassphrase(file.passphrase, oldPassphrase);
  verifyKey(file, key, 'wrong_passphrase');
  file.passphrase = wrapWithPassphrase(key, newPassphrase, scrypt);
  writeKeyFile(dir, file);
}

/**
 * Rekey, step 1: records `newKey` as pending beside the current key (the passphrase must unlock
 * the current key). Until promotePendingKey or dropPendingKey, both keys can be unwrapped.
 */
export function stagePendingKey(dir: string, passphrase: string, newKey: Buffer, scrypt: ScryptParams = DEFAULT_SCRYPT): void {
  const file = readKeyFile(dir);
  verifyKey(file, unwrapWithPassphrase(file.passphrase, passphrase), 'wrong_passphrase');
  file.pending = { check: keyCheck(newKey), passphrase: wrapWithPassphrase(newKey, passphrase, scrypt) };
  writeKeyFile(dir, file);
}

/** The pending key of an unfinished rekey, or null when there is none. */
export function unlockPendingKey(dir: string, passphrase: string): Buffer | null {
  const file = readKeyFile(dir);
  if (!file.pending) return null;
  const key = unwrapWithPassphrase(file.pending.passphrase, passphrase);
  verifyKey({ ...file, check: file.pending.check }, key, 'wrong_passphrase');
  return key;
}

/**
 * Rekey, last step: the pending key becomes the key. Other wrappers held the old key, so they are
 * removed; their names are returned so the caller can wrap the new key again.
 */
export function promotePendingKey(dir: string): string[] {
  const file = readKeyFile(dir);
  if (!file.pending) return [];
  const dropped = Object.keys(file.wrappers);
  writeKeyFile(dir, { version: 1, check: file.pending.check, passphrase: file.pending.passphrase, wrappers: {} });
  return dropped;
}

/** Rekey failed before the database changed: forget the pending key. */
export function dropPendingKey(dir: string): void {
  const file = readKeyFile(dir);
  if (!file.pending) return;
  delete file.pending;
  writeKeyFile(dir, file);
}

function requirePassphrase(passphrase: string): void {
  if (passphrase.length === 0) throw new CacheError('wrong_passphrase', 'the passphrase is empty; choose one to protect the cache');
}

function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_CHECK_LABEL).digest('hex');
}

function verifyKey(file: KeyFile, key: Buffer, kind: 'wrong_passphrase'): void {
  const expected = Buffer.from(file.check, 'hex');
  const actual = Buffer.from(keyCheck(key), 'hex');
  if (key.length !== RAW_KEY_BYTES || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new CacheError(kind, 'wrong passphrase for this cache');
  }
}

function deriveWrappingKey(passphrase: string, salt: Buffer, params: ScryptParams): Buffer {
  // maxmem must exceed 128·N·r·p or node refuses; leave headroom.
  const maxmem = 256 * params.N * params.r * params.p;
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem });
}

function wrapWithPassphrase(key: Buffer, passphrase: string, params: ScryptParams): PassphraseWrap {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveWrappingKey(passphrase, salt, params), iv);
  cipher.setAAD(WRAP_AAD);
  const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    kdf: 'scrypt',
    ...params,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    wrapped: wrapped.toString('base64'),
  };
}

function unwrapWithPassphrase(wrap: PassphraseWrap, passphrase: string): Buffer {
  const wrappingKey = deriveWrappingKey(passphrase, Buffer.from(wrap.salt, 'base64'), wrap);
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, Buffer.from(wrap.iv, 'base64'));
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(Buffer.from(wrap.tag, 'base64'));
    // GCM's tag check is what rejects a wrong passphrase; it compares in constant time.
    return Buffer.concat([decipher.update(Buffer.from(wrap.wrapped, 'base64')), decipher.final()]);
  } catch {
    throw new CacheError('wrong_passphrase', 'wrong passphrase for this cache');
  }
}

function readKeyFile(dir: string): KeyFile {
  const path = keyFilePath(dir);
  if (!existsSync(path)) throw new CacheError('not_found', `no cache in ${dir} (missing ${KEYS_FILE}); run sync or import to create one`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CacheError('damaged', `the cache key file ${path} is unreadable; restore it from a backup or delete the cache and sync again`);
  }
  if (!isKeyFile(parsed)) {
    throw new CacheError('damaged', `the cache key file ${path} is not in a format this version understands`);
  }
  return parsed;
}

function isKeyFile(value: unknown): value is KeyFile {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<KeyFile>;
  const p = v.passphrase as Partial<PassphraseWrap> | undefined;
  return (
    v.version === 1 &&
    typeof v.check === 'string' &&
    typeof v.wrappers === 'object' &&
    v.wrappers !== null &&
    p !== undefined &&
    p.kdf === 'scrypt' &&
    [p.N, p.r, p.p].every((n) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 2 ** 22) &&
    [p.salt, p.iv, p.tag, p.wrapped].every((s) => typeof s === 'string')
  );
}

/** Write to a temp file then rename, so a crash never leaves a half-written key file. */
function writeKeyFile(dir: string, file: KeyFile): void {
  const path = keyFilePath(dir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
