// Splits partitions across the pods of an Indexed Job (`--shard i/N`). The split is a pure function
// of the partition id, so every pod computes the same assignment without talking to the others and
// each partition belongs to exactly one shard. Leases (state/) still guard against overlaps, e.g. a
// slow run meeting the next one.

/** FNV-1a, 32 bit: stable across Node versions and platforms, and cheap. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function shardOf(partitionId: string, shardCount: number): number {
  return fnv1a(partitionId) % shardCount;
}

export function ownsPartition(partitionId: string, shard: { readonly index: number; readonly count: number }): boolean {
  return shard.count <= 1 || shardOf(partitionId, shard.count) === shard.index;
}
