/**
 * Masks secrets a gateway failed to mask before anything is stored. The field stays (so a reader
 * sees that a password was sent) but its value becomes the gateway's own mask, `******`.
 */
export const SECRET_MASK = '******';

const SECRET_KEY = /^(password|old_password|new_password|passwd|token|access_token|refresh_token|secret|client_secret|key|api_key|apikey|private_key|x-api-key)$/i;
const TOKEN_VALUE = /a7ee-[A-Za-z0-9_-]{8,}/g;

/** Returns a masked deep copy and whether anything was changed. */
export function maskSecrets<T>(value: T): { value: T; changed: boolean } {
  let changed = false;
  const walk = (v: unknown, key: string | null): unknown => {
    if (key !== null && SECRET_KEY.test(key) && v !== null && v !== undefined && typeof v !== 'object') {
      if (v === SECRET_MASK || v === '') return v;
      changed = true;
      return SECRET_MASK;
    }
    if (typeof v === 'string') {
      const masked = v.replace(TOKEN_VALUE, SECRET_MASK);
      if (masked !== v) changed = true;
      return masked;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, null));
    if (v !== null && typeof v === 'object') {
      // Define, not assign: `out['__proto__'] = …` on a plain object would set its prototype and the
      // key (which JSON.parse keeps as an ordinary key) would silently vanish from the stored record.
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
        Object.defineProperty(out, k, { value: walk(inner, k), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  const result = walk(value, null) as T;
  return { value: result, changed };
}
