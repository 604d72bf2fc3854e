// Finds which document ids already exist anywhere in a data stream, for the bulk sink's
// duplicate check (src/sink/older-backing-indices.ts).
//
// Why it is needed: ctindex writes with `op_type: create` and a deterministic `_id`, and
// Elasticsearch rejects a second `create` of the same `_id` with a 409 — but only inside one index.
// A data stream sends every write to its current write index, so once it has rolled over (ILM,
// the data stream lifecycle or ctindex's own lifecycle), re-syncing an old file would create the
// event a second time in the new write index. An `ids` query across the whole data stream finds
// the ids that are already stored in any backing index, so the sink can skip them.
import type { Client } from '@elastic/elasticsearch';
import { esRequest, seg } from './es-request.js';

/** `index.max_result_window` default: the most hits one search returns. */
const MAX_IDS_PER_SEARCH = 10_000;

interface IdsAnswer {
  readonly hits?: { readonly hits?: readonly { readonly _id?: string }[] };
}

/**
 * Ids among `ids` that exist in `dataStream` (any backing index). A missing data stream has none.
 * Search is near-real-time: a document indexed within the last refresh interval may not be seen,
 * but such a document is in the current write index, where `create` itself rejects the duplicate.
 */
export async function findExistingIds(es: Client, dataStream: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_SEARCH) {
    const chunk = ids.slice(i, i + MAX_IDS_PER_SEARCH);
    const answer = await esRequest<IdsAnswer>(es, 'POST', `/${seg(dataStream)}/_search`, {
      querystring: { ignore_unavailable: true, allow_no_indices: true, filter_path: 'hits.hits._id' },
      // `_source: false`: only the ids come back, whatever the size of the documents.
      body: { query: { ids: { values: chunk } }, size: chunk.length, _source: false, track_total_hits: false },
    });
    for (const hit of answer.hits?.hits ?? []) if (hit._id !== undefined) found.add(hit._id);
  }
  return found;
}
