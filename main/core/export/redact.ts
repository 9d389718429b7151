import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { AuditEntry } from '../records/entry';

export interface RedactOptions {
  ip?: boolean;
  operator?: boolean;
  bodies?: boolean;
}

/** What the manifest records about redaction, so a reader knows what the data no longer shows. */
export interface RedactionRecord {
  field: string;
  method: string;
}

export function describeRedactions(options: RedactOptions): RedactionRecord[] {
  const out: RedactionRecord[] = [];
  if (options.ip) out.push({ field: 'ip_address', method: 'IPv4 masked to /24, IPv6 to /48; unparseable values replaced by [redacted]' });
  if (options.operator) {
    out.push({
      field: 'operator',
      method: 'id and username replaced by HMAC-SHA256 pseudonyms under a per-package random secret that was discarded; email and names emptied; consistent within this package only',
    });
  }
  if (options.bodies) out.push({ field: 'http_request.body,http_response.body', method: 'removed' });
  return out;
}

/** Masks one address (or a comma-separated list, as proxies write them) to its network. */
export function maskIp(value: string): string {
  if (value === '') return value;
  return value
    .split(',')
    .map((part) => maskOne(part.trim()))
    .join(', ');
}

function maskOne(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return maskOne(mapped[1]);
  if (isIPv4(ip)) {
    const [a, b, c] = ip.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv6(bare)) return `${ipv6Prefix48(bare)}::/48`;
  return '[redacted]';
}

function ipv6Prefix48(ip: string): string {
  const [head, tail = ''] = ip.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = ip.includes('::') ? [...headGroups, ...Array(Math.max(missing, 0)).fill('0'), ...tailGroups] : headGroups;
  return groups
    .slice(0, 3)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':');
}

/**
 * Builds the per-package redactor. The pseudonym secret lives only in this closure: it is never
 * written anywhere, so pseudonyms cannot be reversed or linked across packages.
 */
export function createRedactor(options: RedactOptions, secret: Buffer = randomBytes(32)) {
  const pseudonyms = new Map<string, string>();
  const pseudonym = (value: string): string => {
    if (value === '') return value;
    let p = pseudonyms.get(value);
    if (!p) {
      p = `op-${createHmac('sha256', secret).update(value).digest('hex').slice(0, 16)}`;
      pseudonyms.set(value, p);
    }
    return p;
  };
  const active = !!(options.ip || options.operator || options.bodies);

  function redact(entry: AuditEntry): AuditEntry {
    if (!active) return entry;
    const out: AuditEntry = { ...entry };
    if (options.ip) out.ip_address = maskIp(entry.ip_address);
    if (options.operator) {
      const op = entry.operator;
      // Known identifying fields are kept (empty) so the shape stays the published one; anything
      // extra a gateway added to the operator object is dropped, as it may identify the person.
      out.operator = { id: pseudonym(op.id), username: pseudonym(op.username), email: '', first_name: '', last_name: '' };
      // Side files may quote the email: map it to the person's pseudonym so redactSideData hides it.
      const key = op.id || op.username;
      if (op.email !== '' && key !== '' && !pseudonyms.has(op.email)) pseudonyms.set(op.email, pseudonym(key));
    }
    if (options.bodies) {
      const { body: _reqBody, ...req } = entry.http_request;
      const { body: _resBody, ...res } = entry.http_response;
      out.http_request = req as AuditEntry['http_request'];
      out.http_response = res as AuditEntry['http_response'];
    }
    return out;
  }

  /**
   * Findings and annotations may quote operators by id or username: every string that equals one
   * seen in the records is swapped for its pseudonym, so side files do not undo the redaction.
   */
  function redactSideData<T>(value: T): T {
    if (!options.operator || pseudonyms.size === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return pseudonyms.get(v) ?? v;
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, inner]) => [k, walk(inner)]));
      }
      return v;
    };
    return walk(value) as T;
  }

  return { redact, redactSideData, active };
}
