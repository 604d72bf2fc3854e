// A data stream sends every `create` to its current write index, so the `_id` conflict that makes
// a re-send harmless only happens inside one backing index: after a rollover, a document indexed
// before it would be created a second time. This check looks such ids up before a batch is sent.
//
// Cost: one resolve call (cluster metadata, no search) per send attempt and target; the id look-up
// (a search) runs only once the data stream has more than one backing index, never for plain
// indices. EsBulkSinkOptions.checkOlderBackingIndices turns it all off.
// Race: a rollover between this check and the bulk request lets a re-sent document that sat in the
// just-rolled index through once more; so does one indexed there less than a refresh interval
// before the rollover, which the search cannot see yet. Both windows are about a second, and only
// matter for a document being sent again (a crash replay, or a retry of a request whose first
// attempt got through); we accept them rather than lock the data stream or scan after each write.
import type { Client } from '@elastic/elasticsearch';
import { findExistingIds } from '../setup/existing-ids.js';
import type { AlreadyIndexed, CreateOp } from './bulk-request.js';

async function backingIndexCount(client: Client, name: string): Promise<number> {
  // 404: nothing there yet (the first batch creates the data stream).
  const resolved = await client.indices.resolveIndex({ name, expand_wildcards: 'all' }, { ignore: [404] });
  return resolved.data_streams?.find((ds) => ds.name === name)?.backing_indices.length ?? 0;
}

export function olderBackingIndexCheck(client: Client): AlreadyIndexed {
  return async (ops) => {
    const byIndex = new Map<string, CreateOp[]>();
    for (const op of ops) {
      const group = byIndex.get(op.index);
      if (group) group.push(op);
      else byIndex.set(op.index, [op]);
    }
    const found = new Set<CreateOp>();
    for (const [index, group] of byIndex) {
      // Rechecked per batch, not cached: a rollover may happen at any time during a run.
      if ((await backingIndexCount(client, index)) < 2) continue;
      const existing = await findExistingIds(client, index, group.map((op) => op.id));
      for (const op of group) if (existing.has(op.id)) found.add(op);
    }
    return found;
  };
}
