import { describe, expect, it } from 'vitest';
import { orderedPrefetch } from './ordered-prefetch.js';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('orderedPrefetch', () => {
  it('yields in input order even when later items finish first, and runs them concurrently', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    const start = async (n: number) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(n === 1 ? 30 : 1);
      running--;
      return n * 10;
    };
    for await (const r of orderedPrefetch(from([1, 2, 3, 4]), start, 3)) out.push(r);
    expect(out).toEqual([10, 20, 30, 40]);
    expect(peak).toBeGreaterThan(1);
  });

  it('surfaces a rejection at its turn, after the earlier results', async () => {
    const out: number[] = [];
    const start = async (n: number) => {
      if (n === 2) throw new Error('boom 2');
      return n;
    };
    await expect(async () => {
      for await (const r of orderedPrefetch(from([1, 2, 3]), start, 2)) out.push(r);
    }).rejects.toThrow('boom 2');
    expect(out).toEqual([1]);
  });
});
