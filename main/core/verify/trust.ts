import { shortFingerprint, tryPublicKeyFingerprint } from '../signing/keys';

export interface TrustDecision {
  trusted: boolean;
  /** Trusted keys that could not be read (reported, never silently ignored). */
  unreadable: number;
}

/** Whether the signer's key id is one of the trusted public keys. */
export function decideTrust(signerKeyId: string, trustedPems: string[]): TrustDecision {
  let unreadable = 0;
  const ids = new Set<string>();
  for (const pem of trustedPems) {
    const id = tryPublicKeyFingerprint(pem);
    if (id) ids.add(id);
    else unreadable++;
  }
  return { trusted: ids.has(signerKeyId), unreadable };
}

export interface TrustCheck {
  name: 'signer trust';
  ok: boolean;
  warning?: boolean;
  detail: string;
}

/** The trust check line: untrusted-but-valid is ok with a warning unless trust is required. */
export function trustCheck(signerKeyId: string, trustedPems: string[], requireTrusted: boolean): TrustCheck {
  const short = shortFingerprint(signerKeyId);
  const decision = decideTrust(signerKeyId, trustedPems);
  const unreadable = decision.unreadable > 0 ? `; ${decision.unreadable} trusted key file(s) could not be read as public keys` : '';
  if (decision.trusted) return { name: 'signer trust', ok: true, detail: `signed by trusted key ${short}${unreadable}` };
  const why = trustedPems.length === 0 ? 'no trusted keys were given' : 'the key is not among the trusted keys';
  const detail = `signer ${short} is not trusted (${why}); confirm this fingerprint with the exporter or pass --trust KEY.pem${unreadable}`;
  return requireTrusted ? { name: 'signer trust', ok: false, detail } : { name: 'signer trust', ok: true, warning: true, detail };
}
