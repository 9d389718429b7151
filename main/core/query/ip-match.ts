import { isIP } from 'node:net';

/**
 * IP and CIDR matching for the `ip:` filter, registered as the SQLite function ip_in(ip, cidr).
 * Addresses become BigInts so IPv4 and IPv6 share one comparison; a plain address is a /32 or /128.
 */
export interface ParsedCidr {
  version: 4 | 6;
  network: bigint;
  mask: bigint;
}

export function parseCidr(value: string): ParsedCidr | null {
  const [address, bitsText] = value.split('/');
  if (!address) return null;
  const version = isIP(address);
  if (version !== 4 && version !== 6) return null;
  const width = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return null;
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  const numeric = toBigInt(address, version);
  if (numeric === null) return null;
  return { version, network: numeric & mask, mask };
}

export function ipMatches(ip: string, cidr: ParsedCidr): boolean {
  const version = isIP(ip);
  if (version !== cidr.version) return false;
  const numeric = toBigInt(ip, version);
  return numeric !== null && (numeric & cidr.mask) === cidr.network;
}

function toBigInt(address: string, version: number): bigint | null {
  if (version === 4) {
    return address.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
  }
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const n = toBigInt(v4Tail[1]!, 4)!;
    text = text.slice(0, -v4Tail[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  if (text.includes('::') ? missing < 1 : missing !== 0) return null;
  const parts = [...headParts, ...Array<string>(text.includes('::') ? missing : 0).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) + BigInt(parseInt(part || '0', 16)), 0n);
}

/** A cache of parsed CIDRs so the SQL function parses each filter value once per query. */
export function createIpInFunction(): (ip: unknown, cidr: unknown) => number {
  const parsed = new Map<string, ParsedCidr | null>();
  return (ip, cidr) => {
    if (typeof ip !== 'string' || typeof cidr !== 'string' || ip === '') return 0;
    let block = parsed.get(cidr);
    if (block === undefined) {
      block = parseCidr(cidr);
      if (parsed.size > 1000) parsed.clear();
      parsed.set(cidr, block);
    }
    return block !== null && ipMatches(ip, block) ? 1 : 0;
  };
}
