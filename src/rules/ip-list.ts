// `<srcip>`/`<dstip>` address lists (rule-language.md §3.4; validate_op.c, OS_IsValidIP and
// OS_IPFoundList): `any`, IPv4 with CIDR or dotted netmask, IPv6 with prefix, `!` negation.
import type { ByteString } from '../bytes.js';

type IpEntry =
  | { readonly family: 'any'; readonly negated: boolean }
  | { readonly family: 4; readonly negated: boolean; readonly network: number; readonly mask: number }
  | { readonly family: 6; readonly negated: boolean; readonly network: Uint8Array; readonly mask: Uint8Array };

// Octets without leading zeros, as the entry regex of OS_IsValidIP requires.
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const V4_ENTRY = new RegExp(`^(?:::[fF]{4}:)?(${IPV4})(?:/(3[0-2]|[1-2]?[0-9]|${IPV4}))?$`);
const V6_ENTRY = /^([0-9a-fA-F:]+)(?:\/(12[0-8]|1[0-1][0-9]|[0-9]?[0-9]))?$/;

/** inet_pton(AF_INET): exactly four decimal octets 0–255, no leading zeros (glibc). */
function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

/** inet_pton(AF_INET6): hex groups, at most one `::`, optionally a dotted IPv4 tail. */
function parseIpv6(text: string, allowV4Tail: boolean): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      if (allowV4Tail && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  // A v4 tail is only allowed at the very end.
  if (halves.length === 2 && (halves[0] ?? '').includes('.')) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

function prefixMask(bits: number): Uint8Array {
  const mask = new Uint8Array(16);
  for (let i = 0; i < 16; i++) mask[i] = bits >= 8 * (i + 1) ? 0xff : bits <= 8 * i ? 0 : (0xff << (8 - (bits - 8 * i))) & 0xff;
  return mask;
}

function parseEntry(text: string): IpEntry | undefined {
  const negated = text.startsWith('!');
  const body = negated ? text.slice(1) : text;
  if (body === 'any') return { family: 'any', negated };
  const v4 = V4_ENTRY.exec(body);
  if (v4) {
    const address = parseIpv4(v4[1] ?? '');
    const maskText = v4[2];
    const mask =
      maskText === undefined ? 0xffffffff : maskText.includes('.') ? parseIpv4(maskText) : Number(maskText) === 0 ? 0 : (0xffffffff << (32 - Number(maskText))) >>> 0;
    if (address === undefined || mask === undefined) return undefined;
    return { family: 4, negated, network: (address & mask) >>> 0, mask };
  }
  const v6 = V6_ENTRY.exec(body);
  if (v6) {
    const address = parseIpv6(v6[1] ?? '', false);
    if (address === undefined) return undefined;
    const mask = prefixMask(v6[2] === undefined ? 128 : Number(v6[2]));
    return { family: 6, negated, network: address.map((b, i) => b & (mask[i] ?? 0)), mask };
  }
  return undefined;
}

function contains(entry: IpEntry, v4: number | undefined, v6: Uint8Array | undefined): boolean {
  if (entry.family === 'any') return true;
  // Cross-family comparisons are undefined behaviour in Wazuh; ctindex says "not contained" (§3.4).
  if (entry.family === 4) return v4 !== undefined && ((v4 & entry.mask) >>> 0) === entry.network;
  if (v6 === undefined) return false;
  for (let i = 0; i < 16; i++) if (((v6[i] ?? 0) & (entry.mask[i] ?? 0)) !== entry.network[i]) return false;
  return true;
}

/** The entries of one rule's `<srcip>` (or `<dstip>`) elements, OR-ed in order. */
export class IpList {
  readonly #entries: IpEntry[] = [];

  /** Adds one element's entry; false when it is not a valid address (a fatal rule error). */
  add(text: string): boolean {
    const entry = parseEntry(text);
    if (entry === undefined) return false;
    this.#entries.push(entry);
    return true;
  }

  /**
   * §3.4: the first entry containing the value decides (`!neg`, where neg = "some entry so far was
   * negated"); if none contains it, the result is `neg`. A value that is not an address is false.
   */
  test(value: ByteString): boolean {
    const v4 = parseIpv4(value);
    const v6 = v4 === undefined ? parseIpv6(value, true) : undefined;
    if (v4 === undefined && v6 === undefined) return false;
    let neg = false;
    for (const entry of this.#entries) {
      if (entry.negated) neg = true;
      if (contains(entry, v4, v6)) return !neg;
    }
    return neg;
  }
}
