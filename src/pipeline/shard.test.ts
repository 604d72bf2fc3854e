import { describe, expect, it } from 'vitest';
import { ownsPartition, shardOf } from './shard.js';

const partitions = Array.from({ length: 200 }, (_, i) => `${String(100000000000 + i * 7919)}/${['us-east-1', 'eu-west-1', 'ap-south-1'][i % 3]}`);

describe('shard assignment', () => {
  it.each([1, 2, 4, 7])('gives every partition to exactly one of %i shards', (count) => {
    for (const p of partitions) {
      const owners = Array.from({ length: count }, (_, index) => index).filter((index) => ownsPartition(p, { index, count }));
      expect(owners).toHaveLength(1);
    }
  });

  it('is stable across releases: pinned assignments', () => {
    // A change here reshuffles every deployment's partitions between pods.
    expect(shardOf('123456789012/us-east-1', 4)).toBe(0);
    expect(shardOf('o-abc123/123456789012/eu-west-1', 7)).toBe(1);
  });

  it('spreads partitions roughly evenly', () => {
    const counts = [0, 0, 0, 0];
    for (const p of partitions) counts[shardOf(p, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(25);
  });
});
