// A small seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32) with the helpers the
// demo-data generator needs. Same seed, same sequence, on every platform: only 32-bit integer maths.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'; // the alphabet of AWS access key and principal ids

export class Prng {
  #state: number;

  constructor(seed: number) {
    // Spread small seeds (1, 2, 3 …) over the state space before the first draw.
    let s = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
    s ^= s >>> 13;
    this.#state = Math.imul(s, 0xc2b2ae35) ^ (s >>> 16);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Prng.pick: empty list');
    return item;
  }

  /** Picks by weight: `[[item, weight, …extra], …]`. */
  weighted<T>(items: readonly (readonly [T, number, ...unknown[]])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let r = this.next() * total;
    for (const [item, weight] of items) {
      r -= weight;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('Prng.weighted: empty list');
    return last[0];
  }

  #chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  base62(length: number): string {
    return this.#chars(BASE62, length);
  }

  hex(length: number): string {
    // Eight hex digits per draw: uuids and ids are drawn for every record.
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** Upper-case letters and digits as in `AKIA…`, `AIDA…`, `AROA…` ids. */
  awsId(prefix: string, length: number): string {
    return prefix + this.#chars(UPPER_ALNUM, length);
  }

  /** RFC 4122 version 4 UUID (version nibble 4, variant 10xx). */
  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)] ?? '8';
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
