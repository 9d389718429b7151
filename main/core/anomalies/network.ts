import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, as "a.b.c.0/24" or "2001:db8:1::/48" (prefix lengths from
 * config). Returns undefined for anything that is not an IP address: such events cannot say
 * anything about networks. IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as IPv4, so one client is not
 * seen on two "networks" depending on how the gateway's socket reported it.
 */
export function networkOf(ip: string, ipv4Bits: number, ipv6Bits: number): string | undefined {
  if (ip === '') return undefined;
  // Logs repeat the same few thousand addresses; parsing each occurrence again dominated scans.
  // Keyed by the address string itself (its hash is cached on the string), one memo per prefix setting.
  const setting = ipv4Bits * 1000 + ipv6Bits;
  let memo = memos.get(setting);
  if (memo === undefined) {
    memo = new Map();
    memos.set(setting, memo);
  }
  const known = memo.get(ip);
  if (known !== undefined) return known === NOT_AN_IP ? undefined : known;
  const network = parseNetwork(ip, ipv4Bits, ipv6Bits);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(ip, network ?? NOT_AN_IP);
  return network;
}

const MEMO_LIMIT = 100_000;
const NOT_AN_IP = '';
const memos = new Map<number, Map<string, string>>();

function parseNetwork(ip: string, ipv4Bits: number, ipv6Bits: number): string | undefined {
  if (isIPv4(ip)) return ipv4Network(ip, ipv4Bits);
  if (!isIPv6(ip)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return ipv4Network(mapped[1]!, ipv4Bits);
  return ipv6Network(ip, ipv6Bits);
}

function ipv4Network(ip: string, bits: number): string {
  const octets = ip.split('.').map(Number);
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  const net = (value & mask) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${bits}`;
}

function ipv6Network(ip: string, bits: number): string {
  const groups = expandIpv6(ip.replace(/%.*$/, ''));
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    out.push(groups[i]! & mask);
  }
  // Print the kept groups and "::" for the zeroed tail, the usual way to write a prefix.
  const used = Math.ceil(bits / 16);
  const head = out.slice(0, used).map((g) => g.toString(16));
  return used >= 8 ? `${head.join(':')}/${bits}` : `${head.join(':')}::/${bits}`;
}

/** Eight 16-bit groups; handles "::" and an embedded dotted IPv4 tail. */
function expandIpv6(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, undefined];
  const leftGroups = left ? left.split(':').filter((g) => g !== '') : [];
  const rightGroups = right ? right.split(':').filter((g) => g !== '') : [];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const all = [...leftGroups, ...Array<string>(right === undefined ? 0 : missing).fill('0'), ...rightGroups];
  return all.map((g) => parseInt(g, 16) || 0);
}
