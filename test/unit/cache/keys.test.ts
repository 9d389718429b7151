import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addKeyWrapper,
  CacheError,
  changePassphrase,
  createCacheKey,
  unlockWithPassphrase,
  unlockWithWrapper,
  type KeyWrapper,
} from '../../../main/core/cache/index';
import { TEST_SCRYPT, tempDir } from './fixtures';

const xorWrapper = (name: string, byte: number): KeyWrapper => ({
  name,
  wrap: (b) => Buffer.from(b.map((x) => x ^ byte)),
  unwrap: (b) => Buffer.from(b.map((x) => x ^ byte)),
});

describe('cache keys', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('wraps a random 32-byte key that only the right passphrase unwraps', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const key = createCacheKey(t.dir, 'pass one', TEST_SCRYPT);
    expect(key.length).toBe(32);
    expect(unlockWithPassphrase(t.dir, 'pass one').equals(key)).toBe(true);
    const file = readFileSync(`${t.dir}/keys.json`, 'utf8');
    expect(file).not.toContain(key.toString('hex'));
    expect(file).not.toContain(key.toString('base64'));
    expect(JSON.parse(file).passphrase).toMatchObject({ kdf: 'scrypt', N: TEST_SCRYPT.N, r: 8, p: 1 });
    try {
      unlockWithPassphrase(t.dir, 'pass two');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CacheError);
      expect((error as CacheError).kind).toBe('wrong_passphrase');
      expect((error as CacheError).message).toBe('wrong passphrase for this cache');
    }
  });

  it('changes the passphrase without changing the key', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const key = createCacheKey(t.dir, 'old', TEST_SCRYPT);
    expect(() => changePassphrase(t.dir, 'wrong', 'new', TEST_SCRYPT)).toThrow(/wrong passphrase/);
    changePassphrase(t.dir, 'old', 'new', TEST_SCRYPT);
    expect(unlockWithPassphrase(t.dir, 'new').equals(key)).toBe(true);
    expect(() => unlockWithPassphrase(t.dir, 'old')).toThrow(CacheError);
  });

  it('adds another wrapper and rejects one that returns a different key', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const key = createCacheKey(t.dir, 'p', TEST_SCRYPT);
    expect(unlockWithWrapper(t.dir, xorWrapper('safeStorage', 7))).toBeNull();
    addKeyWrapper(t.dir, key, xorWrapper('safeStorage', 7));
    expect(unlockWithWrapper(t.dir, xorWrapper('safeStorage', 7))!.equals(key)).toBe(true);
    expect(() => unlockWithWrapper(t.dir, xorWrapper('safeStorage', 9))).toThrow(/wrong passphrase/);
  });

  it('reports a damaged key file', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    createCacheKey(t.dir, 'p', TEST_SCRYPT);
    writeFileSync(`${t.dir}/keys.json`, '{"version":1');
    expect(() => unlockWithPassphrase(t.dir, 'p')).toThrow(expect.objectContaining({ kind: 'damaged' }));
  });
});
