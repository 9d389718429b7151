import { describe, expect, it } from 'vitest';
import { createRedactor, maskIp } from '../../../main/core/export/redact';
import { sampleEntries } from '../../integration/export/fixtures';

describe('redaction', () => {
  it('masks IPv4 to /24 and IPv6 to /48, lists included', () => {
    expect(maskIp('203.0.113.24')).toBe('203.0.113.0/24');
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::/48');
    expect(maskIp('::1')).toBe('0:0:0::/48');
    expect(maskIp('::ffff:10.1.2.3')).toBe('10.1.2.0/24');
    expect(maskIp('10.0.0.1, 192.168.7.9')).toBe('10.0.0.0/24, 192.168.7.0/24');
    expect(maskIp('not-an-ip')).toBe('[redacted]');
    expect(maskIp('')).toBe('');
  });

  it('pseudonyms are stable within one redactor and differ between packages', () => {
    const [e] = sampleEntries(2).slice(1);
    const a = createRedactor({ operator: true });
    const b = createRedactor({ operator: true });
    expect(a.redact(e).operator.id).toBe(a.redact(e).operator.id);
    expect(a.redact(e).operator.id).not.toBe(b.redact(e).operator.id);
    expect(a.redact(e).operator.email).toBe('');
    expect(JSON.stringify(a.redactSideData([{ who: e.operator.id, mail: e.operator.email }]))).not.toContain(e.operator.id + '"');
  });

  it('without options the entry is untouched', () => {
    const [e] = sampleEntries(1);
    expect(createRedactor({}).redact(e)).toBe(e);
  });
});
