// EsBulkSink and DeadLetterWriter against the real Elasticsearch, with the fault proxy in front
// where the cluster has to misbehave. Targets are plain indices with a tiny strict mapping (so they
// can be deleted afterwards), except for the rollover test, which needs a data stream.
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SinkError } from '../../src/errors.js';
import { encodeCreate } from '../../src/sink/bulk-request.js';
import { createEsClient } from '../../src/sink/es-client.js';
import { DeadLetterWriter, EsBulkSink, type EsBulkSinkOptions } from '../../src/sink/es-bulk-sink.js';
import type { AckOutcome, BulkItem, BulkStats } from '../../src/sink/types.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const esUrl = inject('esUrl');
const es: Client = createEsClient({ url: esUrl });

/** Strict, so an unknown field or a wrong type is a per-document rejection. */
const EVENT_MAPPING = {
  dynamic: 'strict',
  properties: { '@timestamp': { type: 'date' }, n: { type: 'long' }, message: { type: 'text' } },
} as const;
const SETTINGS = { number_of_shards: 1, number_of_replicas: 0 };

interface Targets {
  readonly events: string;
  readonly deadLetters: string;
}

const created: string[] = [];

async function plainTargets(deadLetterMapping?: Record<string, unknown>): Promise<Targets> {
  // Outside the ctindex-* patterns: the shared cluster may have the shipped templates, which
  // turn ctindex-cloudtrail-* into data streams with their own mappings.
  const ns = randomBytes(4).toString('hex');
  const targets = { events: `sinkit-events-${ns}`, deadLetters: `sinkit-deadletter-${ns}` };
  await es.indices.create({ index: targets.events, settings: SETTINGS, mappings: EVENT_MAPPING });
  await es.indices.create({ index: targets.deadLetters, settings: SETTINGS, mappings: deadLetterMapping });
  created.push(targets.events, targets.deadLetters);
  return targets;
}

afterAll(async () => {
  if (created.length > 0) await es.indices.delete({ index: created, ignore_unavailable: true });
  await es.close();
});

async function count(index: string): Promise<number> {
  await es.indices.refresh({ index });
  return (await es.count({ index })).count;
}

function doc(n: number, message = `event ${n}`): Record<string, unknown> {
  return { '@timestamp': '2026-11-22T10:00:00.000Z', n, message };
}

function origin(n: number) {
  return { bucket: 'trail-bucket', key: `AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/22/file-${Math.floor(n / 100)}.json.gz`, recordIndex: n % 100 };
}

/** Items for documents `from`…`to - 1`, recording every acknowledgement by id. */
function items(index: string, from: number, to: number, acks: Map<string, AckOutcome[]>, make: (n: number) => Record<string, unknown> = doc): BulkItem[] {
  const out: BulkItem[] = [];
  for (let n = from; n < to; n++) {
    const id = `doc-${n}`;
    out.push({
      id,
      index,
      doc: make(n),
      origin: origin(n),
      raw: () => JSON.stringify({ eventID: `raw-${n}` }),
      ack: (outcome) => acks.set(id, [...(acks.get(id) ?? []), outcome]),
    });
  }
  return out;
}

async function writeAll(sink: EsBulkSink, list: readonly BulkItem[]): Promise<void> {
  for (const item of list) await sink.write(item);
}

function bytesOf(list: readonly BulkItem[]): number {
  return list.reduce((sum, i) => sum + encodeCreate(i.index, i.id, i.doc).bytes, 0);
}

function stats(partial: Partial<BulkStats>): BulkStats {
  return { sent: 0, created: 0, duplicates: 0, retried: 0, deadLettered: 0, failedRequests: 0, bytes: 0, ...partial };
}

/** Fast retries, and one batch per flush unless a test says otherwise. */
function sinkOptions(targets: Targets, extra: Partial<EsBulkSinkOptions> = {}): EsBulkSinkOptions {
  return { deadLetterIndex: targets.deadLetters, retryBaseMs: 5, retryMaxMs: 20, flushIntervalMs: 60_000, flushBytes: 64 * 1024 * 1024, ...extra };
}

describe('EsBulkSink against Elasticsearch', () => {
  it('indexes N documents exactly once over several concurrent batches and acknowledges each as created', async () => {
    const targets = await plainTargets();
    const acks = new Map<string, AckOutcome[]>();
    const list = items(targets.events, 0, 3000, acks);
    const sink = new EsBulkSink(es, sinkOptions(targets, { flushBytes: 32 * 1024, concurrency: 3 }));
    await writeAll(sink, list);
    await sink.flush();

    expect(await count(targets.events)).toBe(3000);
    expect([...acks.values()].every((a) => a.length === 1 && a[0] === 'created')).toBe(true);
    expect(acks.size).toBe(3000);
    expect(sink.stats).toEqual(stats({ sent: 3000, created: 3000, bytes: bytesOf(list) }));
    expect(sink.bytesInFlight).toBe(0);
  });

  it('adds nothing when the same ids are sent again, and counts them as duplicates', async () => {
    const targets = await plainTargets();
    const first = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(first, items(targets.events, 0, 500, new Map()));
    await first.flush();

    const acks = new Map<string, AckOutcome[]>();
    const again = new EsBulkSink(es, sinkOptions(targets));
    const list = items(targets.events, 0, 500, acks);
    await writeAll(again, list);
    await again.flush();

    expect(await count(targets.events)).toBe(500);
    expect(new Set([...acks.values()].flat())).toEqual(new Set(['duplicate']));
    expect(again.stats).toEqual(stats({ sent: 500, duplicates: 500, bytes: bytesOf(list) }));
  });

  it('dead-letters mapping rejections with reason, error type, origin and raw record, and indexes the rest', async () => {
    const targets = await plainTargets();
    const acks = new Map<string, AckOutcome[]>();
    const list = items(targets.events, 0, 10, acks, (n) => {
      if (n === 3) return { ...doc(n), unexpected: true };
      if (n === 7) return { ...doc(n), n: 'not a number' };
      return doc(n);
    });
    const sink = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(sink, list);
    await sink.flush();

    expect(await count(targets.events)).toBe(8);
    expect(acks.get('doc-3')).toEqual(['dead_lettered']);
    expect(acks.get('doc-7')).toEqual(['dead_lettered']);
    expect(sink.stats).toMatchObject({ sent: 10, created: 8, deadLettered: 2, duplicates: 0, retried: 0 });

    await es.indices.refresh({ index: targets.deadLetters });
    const found = await es.search<Record<string, unknown>>({ index: targets.deadLetters, sort: ['ctindex.origin.record_index'], size: 10 });
    const letters = found.hits.hits.map((h) => {
      const { '@timestamp': timestamp, ...rest } = h._source!;
      expect(Date.parse(String(timestamp))).not.toBeNaN();
      return rest;
    });
    expect(letters).toEqual([
      {
        error: {
          code: 'es_rejected',
          type: 'strict_dynamic_mapping_exception',
          message: expect.stringContaining('mapping set to strict, dynamic introduction of [unexpected]'),
        },
        ctindex: { origin: { bucket: 'trail-bucket', key: origin(3).key, record_index: 3 }, target: { index: targets.events, id: 'doc-3' } },
        event: { original: '{"eventID":"raw-3"}' },
      },
      {
        error: {
          code: 'es_rejected',
          type: 'document_parsing_exception',
          message: expect.stringMatching(/failed to parse field \[n\] of type \[long\].*: For input string: "not a number"/),
        },
        ctindex: { origin: { bucket: 'trail-bucket', key: origin(7).key, record_index: 7 }, target: { index: targets.events, id: 'doc-7' } },
        event: { original: '{"eventID":"raw-7"}' },
      },
    ]);
  });

  it('stops with a SinkError when the target refuses every document, acknowledging none', async () => {
    const targets = await plainTargets();
    await es.indices.putSettings({ index: targets.events, settings: { 'index.blocks.write': true } });
    const acks = new Map<string, AckOutcome[]>();
    const sink = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(sink, items(targets.events, 0, 5, acks));
    const err = await sink.flush().then(() => undefined, (e: unknown) => e);
    await es.indices.putSettings({ index: targets.events, settings: { 'index.blocks.write': null } });

    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).code).toBe('es_target_refused');
    expect((err as SinkError).message).toContain(`refuses documents for ${targets.events} (403 cluster_block_exception`);
    expect(acks.size).toBe(0);
    await expect(sink.write(items(targets.events, 5, 6, acks)[0]!)).rejects.toBe(err);
  });

  it('stops with a SinkError when a dead letter is refused too: nothing is dropped silently', async () => {
    const targets = await plainTargets({ dynamic: 'strict', properties: { '@timestamp': { type: 'date' } } });
    const acks = new Map<string, AckOutcome[]>();
    const sink = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(sink, items(targets.events, 0, 3, acks, (n) => (n === 1 ? { ...doc(n), unexpected: 1 } : doc(n))));
    const err = await sink.flush().then(() => undefined, (e: unknown) => e);

    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).code).toBe('dead_letter_rejected');
    expect((err as SinkError).message).toContain(`refused the dead letter for record 1 of ${origin(1).key} (trail-bucket) in ${targets.deadLetters}`);
    expect(acks.get('doc-1')).toBeUndefined();
    expect(acks.get('doc-0')).toEqual(['created']);
  });
});

describe('EsBulkSink retries through the fault proxy', () => {
  let proxy: FaultProxy;
  let viaProxy: Client;
  beforeAll(async () => {
    proxy = await startFaultProxy(esUrl);
    viaProxy = createEsClient({ url: proxy.url });
  });
  afterAll(async () => {
    await viaProxy.close();
    await proxy.close();
  });
  afterEach(() => {
    proxy.resume();
  });

  it('retries 429 and 503 answers and connection resets, then indexes each document once', async () => {
    const targets = await plainTargets();
    proxy.inject({ kind: 'status', status: 429 }, 2);
    proxy.inject({ kind: 'status', status: 503 });
    proxy.inject({ kind: 'reset' });
    const acks = new Map<string, AckOutcome[]>();
    const list = items(targets.events, 0, 300, acks);
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets));
    await writeAll(sink, list);
    await sink.flush();

    expect(await count(targets.events)).toBe(300);
    expect(new Set([...acks.values()].flat())).toEqual(new Set(['created']));
    expect(sink.stats).toEqual(stats({ sent: 300, created: 300, retried: 4 * 300, failedRequests: 4, bytes: 5 * bytesOf(list) }));
  });

  it('counts as duplicates the documents of a request that was applied but whose answer was lost', async () => {
    const targets = await plainTargets();
    proxy.inject({ kind: 'reset-after-forward' });
    const acks = new Map<string, AckOutcome[]>();
    const list = items(targets.events, 0, 200, acks);
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets));
    await writeAll(sink, list);
    await sink.flush();

    expect(await count(targets.events)).toBe(200);
    expect(new Set([...acks.values()].flat())).toEqual(new Set(['duplicate']));
    expect(sink.stats).toEqual(stats({ sent: 200, duplicates: 200, retried: 200, failedRequests: 1, bytes: 2 * bytesOf(list) }));
  });

  it('sends again only the items answered 429 inside a bulk answer', async () => {
    const targets = await plainTargets();
    // Attempt 1: items 0, 3, 6, … (100 of 300) get 429. Attempt 2: a third of those (34) again.
    proxy.inject({ kind: 'item-429', every: 3 }, 2);
    const acks = new Map<string, AckOutcome[]>();
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets));
    await writeAll(sink, items(targets.events, 0, 300, acks));
    await sink.flush();

    expect(await count(targets.events)).toBe(300);
    expect([...acks.values()].every((a) => a.length === 1 && a[0] === 'created')).toBe(true);
    expect(sink.stats).toMatchObject({ sent: 300, created: 300, retried: 100 + 34, failedRequests: 0, duplicates: 0 });
  });

  it('gives up after maxRetries with a SinkError naming the endpoint, and acknowledges nothing', async () => {
    const targets = await plainTargets();
    proxy.inject({ kind: 'status', status: 503 }, 3);
    const acks = new Map<string, AckOutcome[]>();
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets, { maxRetries: 2 }));
    await writeAll(sink, items(targets.events, 0, 10, acks));
    const err = await sink.flush().then(() => undefined, (e: unknown) => e);

    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).message).toBe(
      `Elasticsearch at ${proxy.url} answered 503 (unavailable_shards_exception: injected by the fault proxy) while sending 10 documents in a bulk request (attempt 3).`,
    );
    expect(acks.size).toBe(0);
    expect(sink.stats).toMatchObject({ sent: 10, retried: 20, failedRequests: 2, created: 0 });
    expect(await count(targets.events)).toBe(0);
  });

  it('gives up when items keep being answered 429', async () => {
    const targets = await plainTargets();
    proxy.inject({ kind: 'item-429', every: 1 }, 3);
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets, { maxRetries: 2 }));
    await writeAll(sink, items(targets.events, 0, 4, new Map()));
    await expect(sink.flush()).rejects.toMatchObject({
      code: 'bulk_retries_exhausted',
      message: `Elasticsearch at ${proxy.url} still asked for retries after 2 of them: 4 documents were answered 429 es_rejected_execution_exception.`,
    });
  });

  it('bounds memory: with a 1 MiB budget and a stalled cluster, write waits until a batch settles', async () => {
    const targets = await plainTargets();
    const budget = 1024 * 1024;
    const list = items(targets.events, 0, 400, new Map(), (n) => doc(n, 'x'.repeat(10_000)));
    const sink = new EsBulkSink(viaProxy, sinkOptions(targets, { maxBytesInFlight: budget, flushBytes: 256 * 1024, concurrency: 1 }));
    proxy.pause();

    let accepted = 0;
    const itemBytes = encodeCreate(list[0]!.index, list[0]!.id, list[0]!.doc).bytes;
    while (sink.bytesInFlight + itemBytes <= budget) await sink.write(list[accepted++]!);
    let blockedResolved = false;
    const blocked = sink.write(list[accepted]!).then(() => (blockedResolved = true));
    // Nothing can settle while the proxy holds the requests: the write must still be waiting.
    while (proxy.counts.held === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(blockedResolved).toBe(false);
    expect(sink.bytesInFlight).toBeLessThanOrEqual(budget);
    expect(accepted).toBeGreaterThan(90);

    proxy.resume();
    await blocked;
    await writeAll(sink, list.slice(accepted + 1));
    await sink.flush();
    expect(await count(targets.events)).toBe(400);
    expect(sink.stats.created).toBe(400);
  });
});

describe('DeadLetterWriter', () => {
  it('stores an object-level problem once, even when a replayed run reports it again', async () => {
    const targets = await plainTargets();
    const problem = { origin: { bucket: 'trail-bucket', key: 'AWSLogs/x/broken.json.gz', recordIndex: -1 }, code: 'corrupt_gzip', message: 'incorrect header check' };
    const writer = new DeadLetterWriter(es, targets.deadLetters);
    await writer.deadLetter(problem);
    await new DeadLetterWriter(es, targets.deadLetters).deadLetter(problem);

    await es.indices.refresh({ index: targets.deadLetters });
    const found = await es.search<Record<string, unknown>>({ index: targets.deadLetters });
    expect(found.hits.hits).toHaveLength(1);
    expect(found.hits.hits[0]!._source).toMatchObject({
      error: { code: 'corrupt_gzip', message: 'incorrect header check' },
      ctindex: { origin: { bucket: 'trail-bucket', key: 'AWSLogs/x/broken.json.gz', record_index: -1 } },
    });
    expect(writer.stats).toMatchObject({ sent: 1, created: 1 });
  });
});

describe('EsBulkSink on a data stream that rolled over', () => {
  const TEMPLATE = 'ctindex-test-sinkit-events';
  // One fixed name, emptied before and after: this distribution has no _data_stream API, so a data
  // stream can never be deleted, and a name per run would leave one behind per run.
  const stream = 'ctindex-cloudtrail-sinkit_ds_rollover';

  /** Rolls over to an empty write index and deletes every older backing index. */
  async function emptyDataStream(): Promise<void> {
    const resolved = await es.indices.resolveIndex({ name: stream, expand_wildcards: 'all' }, { ignore: [404] });
    if (!resolved.data_streams?.length) return;
    await es.indices.rollover({ alias: stream });
    const after = await es.indices.resolveIndex({ name: stream, expand_wildcards: 'all' });
    await es.indices.delete({ index: after.data_streams[0]!.backing_indices.slice(0, -1) });
  }

  beforeAll(async () => {
    // Above the shipped templates' priority (200), for this test's names only.
    await es.indices.putIndexTemplate({
      name: TEMPLATE,
      index_patterns: ['ctindex-cloudtrail-sinkit_ds_*'],
      priority: 500,
      data_stream: {},
      template: { settings: SETTINGS, mappings: EVENT_MAPPING },
    });
    await emptyDataStream();
  });
  afterAll(emptyDataStream);

  it('finds re-sent ids in the older backing index and does not index them again (and would, unchecked)', async () => {
    const targets = { events: stream, deadLetters: `${stream}-unused` };
    const first = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(first, items(stream, 0, 200, new Map()));
    await first.flush();
    await es.indices.rollover({ alias: stream });
    // A replay comes at least a refresh interval later; the look-up is a search.
    await es.indices.refresh({ index: stream });

    const acks = new Map<string, AckOutcome[]>();
    const checked = new EsBulkSink(es, sinkOptions(targets));
    await writeAll(checked, items(stream, 0, 200, acks));
    await checked.flush();
    expect(await count(stream)).toBe(200);
    expect(new Set([...acks.values()].flat())).toEqual(new Set(['duplicate']));
    expect(checked.stats).toEqual(stats({ duplicates: 200 }));

    const unchecked = new EsBulkSink(es, sinkOptions(targets, { checkOlderBackingIndices: false }));
    await writeAll(unchecked, items(stream, 0, 200, new Map()));
    await unchecked.flush();
    expect(await count(stream)).toBe(400);
  });
});
