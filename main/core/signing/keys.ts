import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** An Ed25519 key pair as PEM text plus the fingerprint people compare by eye. */
export interface SigningKey {
  privatePem: string;
  publicPem: string;
  /** sha256 of the DER SubjectPublicKeyInfo, lowercase hex (64 chars). Used as the key id. */
  fingerprint: string;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privatePem, publicPem, fingerprint: publicKeyFingerprint(publicPem) };
}

/**
 * Fingerprint of a public key PEM. Hashing the DER SubjectPublicKeyInfo (not the PEM text) makes
 * it independent of line endings and wrapping, and anyone can recompute it with
 * `openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum`.
 * Throws when the PEM is not a public key.
 */
export function publicKeyFingerprint(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** Same fingerprint as `publicKeyFingerprint`, or null for anything that is not a public key. */
export function tryPublicKeyFingerprint(publicPem: string): string | null {
  try {
    return publicKeyFingerprint(publicPem);
  } catch {
    return null;
  }
}

/**
 * The short form shown in settings and reports: 'SHA256:' and the first 16 bytes as colon-separated
 * hex pairs. Long enough to tell keys apart by eye; the full hex stays the key id.
 */
export function shortFingerprint(fingerprintHex: string): string {
  const pairs = fingerprintHex.slice(0, 32).match(/../g) ?? [];
  return `SHA256:${pairs.join(':')}`;
}
