import { describe, expect, it } from 'vitest';
import { unsafeNameReason } from '../../../main/core/verify/zip-limits';
import { generateSigningKey, publicKeyFingerprint, shortFingerprint } from '../../../main/core/signing/keys';
import { signBytes, verifyBytes } from '../../../main/core/signing/signature';
import { trustCheck } from '../../../main/core/verify/trust';

describe('zip entry names', () => {
  it.each([
    ['../x', /zip slip/],
    ['a/../../x', /zip slip/],
    ['/etc/passwd', /absolute/],
    ['C:\\x', /backslash/],
    ['c:x', /drive-letter/],
    ['a\u0000b', /NUL/],
    ['', /empty/],
  ])('%j is refused', (name, reason) => expect(unsafeNameReason(name)).toMatch(reason));

  it.each(['records.json', 'dir/file.txt', '..hidden'])('%j is accepted', (name) => expect(unsafeNameReason(name)).toBeNull());
});

describe('signing keys', () => {
  it('signs and verifies raw bytes; fingerprints are stable and short-formatted', () => {
    const key = generateSigningKey();
    const sig = signBytes(key.privatePem, Buffer.from('manifest'));
    expect(sig).toHaveLength(64);
    expect(verifyBytes(key.publicPem, Buffer.from('manifest'), sig)).toBe(true);
    expect(verifyBytes(key.publicPem, Buffer.from('manifesT'), sig)).toBe(false);
    expect(verifyBytes('not a pem', Buffer.from('manifest'), sig)).toBe(false);
    expect(key.fingerprint).toBe(publicKeyFingerprint(key.publicPem.replace(/\n/g, '\r\n')));
    expect(shortFingerprint(key.fingerprint)).toMatch(/^SHA256:([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });

  it('trust: trusted ok, untrusted warns, required fails, unreadable trusted keys are reported', () => {
    const key = generateSigningKey();
    expect(trustCheck(key.fingerprint, [key.publicPem], true)).toMatchObject({ ok: true });
    expect(trustCheck(key.fingerprint, [], false)).toMatchObject({ ok: true, warning: true });
    expect(trustCheck(key.fingerprint, [generateSigningKey().publicPem], true)).toMatchObject({ ok: false });
    expect(trustCheck(key.fingerprint, ['garbage', key.publicPem], true).detail).toMatch(/1 trusted key file/);
  });
});
