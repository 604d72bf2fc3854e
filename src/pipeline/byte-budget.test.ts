import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget.js';

describe('ByteBudget', () => {
  it('admits items while they fit and queues the rest in FIFO order', async () => {
    const budget = new ByteBudget(100);
    const order: string[] = [];
    await budget.acquire(60);
    const b = budget.acquire(50).then(() => order.push('b'));
    const c = budget.acquire(10).then(() => order.push('c'));
    await Promise.resolve();
    // c would fit but must not overtake b.
    expect(order).toEqual([]);
    budget.release(60);
    await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
    expect(budget.inFlight).toBe(60);
  });

  it('lets an item larger than the whole budget through when nothing else is in flight', async () => {
    const budget = new ByteBudget(10);
    await budget.acquire(500);
    expect(budget.inFlight).toBe(500);
    let admitted = false;
    const next = budget.acquire(1).then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    budget.release(500);
    await next;
    expect(admitted).toBe(true);
  });
});
