/**
 * IPv4 / CIDR arithmetic for the Microsoft.Network emulator (address spaces, subnets, private IP allocation).
 * Addresses are unsigned 32-bit numbers.
 */

export interface Cidr {
  /** Network address (host bits zero). */
  base: number;
  prefixLength: number;
  /** Number of addresses in the range. */
  size: number;
  /** As written by the caller. */
  text: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

export type CidrParse =
  | { ok: true; cidr: Cidr }
  | { ok: false; reason: 'format' }
  /** Host bits set: Azure refuses `10.0.1.5/24` and names the prefix it expected (`10.0.1.0/24`). */
  | { ok: false; reason: 'host-bits'; expected: string };

export function parseCidr(text: string): CidrParse {
  const [addr, len, extra] = String(text).trim().split('/');
  if (extra !== undefined || len === undefined || !/^\d{1,2}$/.test(len)) return { ok: false, reason: 'format' };
  const prefixLength = Number(len);
  const ip = parseIpv4(addr);
  if (ip === undefined || prefixLength > 32) return { ok: false, reason: 'format' };
  const size = 2 ** (32 - prefixLength);
  const base = prefixLength === 0 ? 0 : ((ip >>> (32 - prefixLength)) << (32 - prefixLength)) >>> 0;
  if (base !== ip) return { ok: false, reason: 'host-bits', expected: `${formatIpv4(base)}/${prefixLength}` };
  return { ok: true, cidr: { base, prefixLength, size, text: String(text).trim() } };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function cidrContainsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/**
 * Azure reserves five addresses in every subnet: the network address, .1 (default gateway), .2 and .3 (Azure DNS)
 * and the broadcast address. The first address a resource can get is therefore base + 4.
 */
export function usableRange(c: Cidr): { first: number; last: number } | undefined {
  if (c.size < 8) return undefined;
  return { first: c.base + 4, last: c.base + c.size - 2 };
}

export function isUsableAddress(c: Cidr, ip: number): boolean {
  const r = usableRange(c);
  return r !== undefined && ip >= r.first && ip <= r.last;
}

/** The lowest usable address of the prefixes that is not in `used` (deterministic), or undefined when full. */
export function nextFreeAddress(prefixes: Cidr[], used: ReadonlySet<number>): number | undefined {
  for (const c of prefixes) {
    const r = usableRange(c);
    if (!r) continue;
    for (let ip = r.first; ip <= r.last; ip++) if (!used.has(ip)) return ip;
  }
  return undefined;
}
