import { isIP } from 'node:net';

/**
 * Which resolved addresses a webhook may be sent to (SSRF): anything that reaches the platform's
 * own network, the host itself or a cloud's metadata service is refused. Answers why an address
 * is refused, or null for a public one.
 */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return ipv4Reason(address);
  if (family === 6) return ipv6Reason(address);
  return 'not an IP address';
}

function ipv4Reason(address: string): string | null {
  const [a, b] = address.split('.').map(Number) as [number, number, number, number];
  if (a === 0) return 'unspecified (0.0.0.0/8)';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local (cloud metadata)';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT (100.64.0.0/10)';
  if (a === 192 && b === 0 && address.split('.')[2] === '0') return 'IETF protocol assignments';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking (198.18.0.0/15)';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved or broadcast';
  return null;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

function ipv6Reason(address: string): string | null {
  const g = ipv6Groups(address);
  const first = g[0]!;
  if (g.every((x) => x === 0)) return 'unspecified (::)';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address
  const mapped = g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0);
  if (mapped) return ipv4Reason(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  // 64:ff9b::/96 (NAT64) embeds an IPv4 address too
  if (first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return ipv4Reason(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  if ((first & 0xfe00) === 0xfc00) return 'unique-local (fc00::/7)';
  if ((first & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((first & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return null;
}
