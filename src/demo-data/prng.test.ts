import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

const draw = (seed: number, n: number) => {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => prng.next());
};

describe('Prng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(1, 100)).not.toEqual(draw(2, 100));
  });

  it('stays in range', () => {
    const prng = new Prng(7);
    for (let i = 0; i < 10_000; i++) {
      const x = prng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = prng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });

  it('draws roughly uniformly', () => {
    const prng = new Prng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[prng.int(0, 3)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('makes RFC 4122 version 4 UUIDs and AWS-style ids', () => {
    const prng = new Prng(9);
    for (let i = 0; i < 200; i++) {
      expect(prng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(prng.awsId('AKIA', 16)).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(prng.base62(16)).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('picks by weight', () => {
    const prng = new Prng(11);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) if (prng.weighted([['heavy', 9], ['light', 1]]) === 'heavy') heavy++;
    expect(heavy).toBeGreaterThan(8_700);
    expect(heavy).toBeLessThan(9_300);
  });
});
