/**
 * Masks secrets a gateway failed to mask before anything is stored. The field stays (so a reader
 * sees that a password was sent) but its value becomes the gateway's own mask, `******`.
 */
export const SECRET_MASK = '******';

const SECRET_KEY = /^(password|old_password|new_password|passwd|token|access_token|refresh_token|secret|client_secret|key|api_key|apikey|private_key|x-api-key)$/i;
const TOKEN_VALUE = /a7ee-[A-Za-z0-9_-]{8,}/g;

/** Returns a masked deep copy and whether anything was changed (the value itself when nothing is). */
export function maskSecrets<T>(value: T): { value: T; changed: boolean } {
  // Almost every record is clean: checking first costs a read-only walk and saves the copy.
  if (!needsMasking(value, null)) return { value, changed: false };
  let changed = false;
  const walk = (v: unknown, key: string | null): unknown => {
    if (key !== null && isSecretField(key, v)) {
      if (v === SECRET_MASK || v === '') return v;
      changed = true;
      return SECRET_MASK;
    }
    if (typeof v === 'string') {
      if (!v.includes(TOKEN_PREFIX)) return v;
      const masked = v.replace(TOKEN_VALUE, SECRET_MASK);
      if (masked !== v) changed = true;
      return masked;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, null));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const inner = walk((v as Record<string, unknown>)[k], k);
        // Define, not assign, for "__proto__": assigning it on a plain object would set the
        // prototype and the key (an ordinary key after JSON.parse) would vanish from the record.
        if (k === '__proto__') Object.defineProperty(out, k, { value: inner, enumerable: true, writable: true, configurable: true });
        else out[k] = inner;
      }
      return out;
    }
    return v;
  };
  const result = walk(value, null) as T;
  return { value: result, changed };
}

const TOKEN_PREFIX = 'a7ee-';

function isSecretField(key: string, v: unknown): boolean {
  return SECRET_KEY.test(key) && v !== null && v !== undefined && typeof v !== 'object';
}

/** True when a walk would change something: a secret field not yet masked, or a token in a string. */
function needsMasking(v: unknown, key: string | null): boolean {
  if (key !== null && isSecretField(key, v)) return v !== SECRET_MASK && v !== '';
  if (typeof v === 'string') return v.includes(TOKEN_PREFIX) && new RegExp(TOKEN_VALUE.source).test(v);
  if (Array.isArray(v)) return v.some((item) => needsMasking(item, null));
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) if (needsMasking((v as Record<string, unknown>)[k], k)) return true;
  }
  return false;
}
