import { describe, expect, it } from 'vitest';
import { entryToRow } from '../../../main/core/cache/record-row';
import { canonicalJson } from '../../../main/core/records/canonical';
import { parseAuditEntry } from '../../../main/core/records/entry';
import { SECRET_MASK, maskSecrets } from '../../../main/core/records/secrets';

// JSON.parse keeps "__proto__" as an ordinary key; assigning it onto a plain object would instead
// set the prototype and the key would vanish from the stored record without a trace.
const PROTO_LINE = '{"id":"proto-1","event_time":1764000000,"event_type":"UpdateRoute","http_request":{"body":{"__proto__":{"isAdmin":true},"name":"r"}},"http_response":{"status_code":200,"body":{"__proto__":"x"}}}';

describe('maskSecrets', () => {
  it('masks secret keys and token-looking values, and says so', () => {
    const { value, changed } = maskSecrets({ password: 'hunter2', nested: [{ api_key: 'k' }], note: 'bearer a7ee-abcdefgh123' });
    expect(changed).toBe(true);
    expect(value).toEqual({ password: SECRET_MASK, nested: [{ api_key: SECRET_MASK }], note: `bearer ${SECRET_MASK}` });
  });

  it('keeps a "__proto__" key as data and never touches the prototype', () => {
    const body = JSON.parse('{"__proto__":{"password":"p"},"a":1}') as Record<string, unknown>;
    const { value } = maskSecrets(body);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(canonicalJson(value)).toBe(`{"__proto__":{"password":"${SECRET_MASK}"},"a":1}`);
    expect(({} as Record<string, unknown>).password).toBeUndefined();
  });

  it('a body with a "__proto__" key is stored faithfully (canonical JSON keeps it)', () => {
    const parsed = parseAuditEntry(JSON.parse(PROTO_LINE));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const row = entryToRow(parsed.entry);
    expect(row.warnings).toBeNull();
    expect(row.canonical).toContain('"body":{"__proto__":{"isAdmin":true},"name":"r"}');
    expect(row.canonical).toContain('"body":{"__proto__":"x"}');
    expect(row.request_body).toBe('{"__proto__":{"isAdmin":true},"name":"r"}');
    const stored = JSON.parse(row.canonical) as { http_request: { body: Record<string, unknown> } };
    expect(Object.keys(stored.http_request.body)).toEqual(['__proto__', 'name']);
  });
});
