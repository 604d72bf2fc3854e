// What the sync recovery tests read back: the trail they seeded (every eventID and each
// partition's last key, taken from the generator's own output rather than recomputed), the events
// data stream (exact counts, no approximate cardinality) and the partition state documents.
import type { Client } from '@elastic/elasticsearch';
import { DeleteBucketCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateTrail, type TrailGenerationOptions } from '../../src/demo-data/generate-trail.js';
import { ensureBucket, s3Writer, writeTrail, type TrailWriteSummary } from '../../src/demo-data/write-trail.js';
import { eventsIndex } from '../../src/pipeline/run-sync.js';
import { parseTrailKey, partitionId } from '../../src/source/trail-keys.js';
import { stateIndex } from '../../src/state/partition-state-store.js';
import { listKeys } from './trail-bucket.js';

export interface SeededTrail {
  readonly summary: TrailWriteSummary;
  /** Every record's eventID, as written. */
  readonly eventIds: ReadonlySet<string>;
  /** Partition id (`<account>/<region>`) → its greatest log key. */
  readonly lastKeys: ReadonlyMap<string, string>;
  /** Partition id → its number of log files. */
  readonly files: ReadonlyMap<string, number>;
}

/** Seeds the bucket like `seedTrail`, and remembers what it wrote. */
export async function seedTrailRecorded(client: S3Client, bucket: string, options: Omit<TrailGenerationOptions, 'bucket'>): Promise<SeededTrail> {
  await ensureBucket(client, bucket);
  const eventIds = new Set<string>();
  const lastKeys = new Map<string, string>();
  const files = new Map<string, number>();
  function* recorded() {
    for (const file of generateTrail({ ...options, bucket })) {
      if (file.kind === 'log') {
        const parsed = parseTrailKey(file.key);
        if (parsed.kind !== 'log') throw new Error(`generator wrote a key the parser rejects: ${file.key}`);
        const id = partitionId(parsed);
        if ((lastKeys.get(id) ?? '') < file.key) lastKeys.set(id, file.key);
        files.set(id, (files.get(id) ?? 0) + 1);
        const { Records } = JSON.parse(file.body.toString('utf8')) as { Records: { eventID: string }[] };
        for (const r of Records) eventIds.add(r.eventID);
      }
      yield file;
    }
  }
  const summary = await writeTrail(recorded(), s3Writer(client, bucket));
  if (eventIds.size !== summary.events) throw new Error(`generator wrote ${summary.events} records but ${eventIds.size} distinct eventIDs`);
  return { summary, eventIds, lastKeys, files };
}

/** Documents in the namespace's events data stream after a refresh; 0 while it does not exist. */
export async function countDocs(es: Client, namespace: string): Promise<number> {
  const index = eventsIndex(namespace);
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  const res = await es.count({ index, ignore_unavailable: true, allow_no_indices: true });
  return res.count;
}

export interface IdCensus {
  /** `_count` of the data stream. */
  readonly count: number;
  /** Distinct `event.id` values (exact: composite aggregation, paged through). */
  readonly distinct: number;
  /** Ids held by more than one document (first 20). */
  readonly duplicated: readonly string[];
  /** Ids the seeded trail has and Elasticsearch lacks (first 20). */
  readonly missing: readonly string[];
  /** Ids in Elasticsearch that the seeded trail never wrote (first 20). */
  readonly unexpected: readonly string[];
}

/** Exact census of `event.id` (the `_id`, which is the eventID) against the ids that were seeded. */
export async function idCensus(es: Client, namespace: string, expected: ReadonlySet<string>): Promise<IdCensus> {
  const index = eventsIndex(namespace);
  const count = await countDocs(es, namespace);
  const seen = new Set<string>();
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  let after: Record<string, string | number | null> | undefined;
  for (;;) {
    const res = await es.search({
      index,
      size: 0,
      aggs: { ids: { composite: { size: 10_000, sources: [{ id: { terms: { field: 'event.id' } } }], ...(after ? { after } : {}) } } },
    });
    const agg = res.aggregations?.ids as { buckets: { key: { id: string }; doc_count: number }[]; after_key?: Record<string, string> } | undefined;
    const buckets = agg?.buckets ?? [];
    for (const b of buckets) {
      seen.add(b.key.id);
      if (b.doc_count > 1 && duplicated.length < 20) duplicated.push(b.key.id);
      if (!expected.has(b.key.id) && unexpected.length < 20) unexpected.push(b.key.id);
    }
    if (buckets.length === 0 || !agg?.after_key) break;
    after = agg.after_key;
  }
  const missing: string[] = [];
  for (const id of expected) {
    if (missing.length >= 20) break;
    if (!seen.has(id)) missing.push(id);
  }
  return { count, distinct: seen.size, duplicated, missing, unexpected };
}

/** Event ids of the documents tagged with `ruleId`. */
export async function idsWithRule(es: Client, namespace: string, ruleId: string): Promise<string[]> {
  const index = eventsIndex(namespace);
  await es.indices.refresh({ index });
  const res = await es.search<{ event: { id: string } }>({ index, size: 100, query: { term: { 'rule.id': ruleId } }, _source: ['event.id'] });
  return res.hits.hits.map((h) => h._source!.event.id).sort();
}

export interface StoredState {
  readonly partition: { readonly id: string; readonly account: string; readonly region: string };
  readonly checkpoint: { readonly watermark: string | null; readonly done: readonly string[] };
  readonly lease: { readonly owner: string; readonly expiresAt: string };
  readonly runId?: string;
  readonly updatedAt: string;
}

/** The namespace's partition state documents (refreshed first); [] before the index exists. */
export async function stateDocs(es: Client, namespace: string): Promise<StoredState[]> {
  const index = stateIndex(namespace);
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  const res = await es.search<StoredState>({ index, size: 1000, ignore_unavailable: true, allow_no_indices: true });
  return res.hits.hits.map((h) => h._source!);
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Empties and deletes a test bucket. */
export async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  const keys = await listKeys(client, bucket);
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}
