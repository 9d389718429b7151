import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/**
 * Ed25519 signatures over raw bytes (no pre-hash), so `openssl pkeyutl -verify -rawin` checks
 * them with stock tools. Returns the raw 64-byte signature.
 */
export function signBytes(privatePem: string, data: Buffer): Buffer {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519; generate a new key`);
  }
  return sign(null, data, key);
}

/** True only for a valid Ed25519 signature by this key; never throws (hostile input is expected). */
export function verifyBytes(publicPem: string, data: Buffer, signature: Buffer): boolean {
  try {
    const key = createPublicKey(publicPem);
    if (key.asymmetricKeyType !== 'ed25519' || signature.length !== 64) return false;
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** The public key PEM belonging to a private key PEM (so a package can never carry a mismatched pair). */
export function publicPemOf(privatePem: string): string {
  return createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' }).toString();
}
