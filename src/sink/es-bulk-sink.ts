// The pipeline's document sink: batches tagged documents by serialised size into bulk `create`
// requests, keeps a few in flight, retries what Elasticsearch asks to, dead-letters what it
// rejects for good, and acknowledges each document only once Elasticsearch holds it (or its dead
// letter). Modelled on the elasticsearch-js bulk helper, with acknowledgements per document.
import type { Client } from '@elastic/elasticsearch';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CtindexError } from '../errors.js';
import { BulkRequester, DEFAULT_RETRY, encodeCreate, type CreateOp, type CreateOutcome } from './bulk-request.js';
import { DeadLetterWriter } from './dead-letter-writer.js';
import { describeClient, toSinkError } from './es-client.js';
import { olderBackingIndexCheck } from './older-backing-indices.js';
import { emptyBulkStats, type BulkItem, type BulkStats } from './types.js';

export { DeadLetterWriter } from './dead-letter-writer.js';

const MiB = 1024 * 1024;

export interface EsBulkSinkOptions {
  /** Dead-letter data stream for rejected documents, `ctindex-deadletter-<ns>`. */
  readonly deadLetterIndex: string;
  /** A batch is sent once its serialised documents reach this many bytes. Default 5 MiB. */
  readonly flushBytes?: number;
  /** A partial batch is sent this many ms after its first document. Default 1000. */
  readonly flushIntervalMs?: number;
  /** Bulk requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /**
   * Serialised bytes accepted but not yet acknowledged (batching, queued, in flight, retrying);
   * `write` waits while a document would exceed it. Default `flushBytes × (concurrency + 1)`.
   */
  readonly maxBytesInFlight?: number;
  /** Retries per batch after the first attempt. Default 7. */
  readonly maxRetries?: number;
  /** Backoff ceiling of the first retry, in ms. Default 500. */
  readonly retryBaseMs?: number;
  /** Largest backoff ceiling, in ms. Default 30 000. */
  readonly retryMaxMs?: number;
  /**
   * Before each send, look the ids up in the target data stream once it has more than one backing
   * index, so a re-send after a rollover is not indexed twice (older-backing-indices.ts). Default
   * true; turn it off when nothing is ever re-sent across a rollover and a search per batch is
   * too much.
   */
  readonly checkOlderBackingIndices?: boolean;
  /** For messages; default: the client's nodes without credentials. */
  readonly endpoint?: string;
}

/** What a batch keeps of an item until it is acknowledged: never the document object, which is
 * serialised in `op` already and would multiply the memory held by documents in flight. */
interface Queued {
  readonly item: Pick<BulkItem, 'origin' | 'raw' | 'ack'>;
  readonly op: CreateOp;
}

export class EsBulkSink {
  readonly #flushBytes: number;
  readonly #flushIntervalMs: number;
  readonly #maxBytesInFlight: number;
  readonly #endpoint: string;
  readonly #stats = emptyBulkStats();
  readonly #requester: BulkRequester;
  readonly #deadLetters: DeadLetterWriter;
  readonly #limit: LimitFunction;
  readonly #sending = new Set<Promise<void>>();
  #batch: Queued[] = [];
  #batchBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #bytesInFlight = 0;
  /** Resolved (and replaced) each time a batch settles; what writers over the budget wait on. */
  #batchSettled: { promise: Promise<void>; resolve: () => void } | undefined;
  /** The first failure; once set, the sink refuses new work and flush() rejects with it. */
  #failure: CtindexError | undefined;

  constructor(client: Client, options: EsBulkSinkOptions) {
    const concurrency = options.concurrency ?? 4;
    this.#flushBytes = options.flushBytes ?? 5 * MiB;
    this.#flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.#maxBytesInFlight = options.maxBytesInFlight ?? this.#flushBytes * (concurrency + 1);
    this.#endpoint = options.endpoint ?? describeClient(client);
    const retry = {
      maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
      baseMs: options.retryBaseMs ?? DEFAULT_RETRY.baseMs,
      maxMs: options.retryMaxMs ?? DEFAULT_RETRY.maxMs,
    };
    const check = options.checkOlderBackingIndices === false ? undefined : olderBackingIndexCheck(client);
    this.#requester = new BulkRequester(client, this.#endpoint, retry, this.#stats, check);
    this.#deadLetters = new DeadLetterWriter(client, options.deadLetterIndex, { endpoint: this.#endpoint, retry });
    this.#limit = pLimit(concurrency);
  }

  get stats(): Readonly<BulkStats> {
    return { ...this.#stats };
  }

  /** Serialised bytes accepted and not yet acknowledged. */
  get bytesInFlight(): number {
    return this.#bytesInFlight;
  }

  /**
   * Resolves once the item is accepted into a batch. While accepting it would exceed
   * `maxBytesInFlight`, waits for a batch to settle, so a fast reader cannot outrun the cluster.
   * A document larger than the whole budget is let through alone.
   */
  async write(item: BulkItem): Promise<void> {
    this.#throwIfFailed();
    const op = encodeCreate(item.index, item.id, item.doc);
    while (this.#bytesInFlight > 0 && this.#bytesInFlight + op.bytes > this.#maxBytesInFlight) {
      // Holding a partial batch for its timer while we wait for room would only delay the room.
      this.#dispatch();
      await this.#nextSettle();
      this.#throwIfFailed();
    }
    this.#bytesInFlight += op.bytes;
    this.#batch.push({ item: { origin: item.origin, raw: item.raw, ack: item.ack }, op });
    this.#batchBytes += op.bytes;
    if (this.#batchBytes >= this.#flushBytes) this.#dispatch();
    // Armed by the first document, not refreshed by later ones: a steady trickle is still sent
    // within flushIntervalMs. unref: a pending timer must not keep a finished process alive.
    else this.#timer ??= setTimeout(() => this.#dispatch(), this.#flushIntervalMs).unref();
  }

  /**
   * Sends everything accepted so far and waits until each of those documents is acknowledged.
   * Rejects with the sink's first failure (a `SinkError` naming the endpoint) if any batch failed.
   */
  async flush(): Promise<void> {
    this.#dispatch();
    await Promise.all([...this.#sending]);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  #nextSettle(): Promise<void> {
    if (!this.#batchSettled) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#batchSettled = { promise, resolve };
    }
    return this.#batchSettled.promise;
  }

  #dispatch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    const bytes = this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    const sending: Promise<void> = this.#limit(() => this.#send(batch))
      .catch((err: unknown) => {
        this.#failure ??= toSinkError(err, this.#endpoint, 'sending documents');
      })
      .finally(() => {
        this.#bytesInFlight -= bytes;
        this.#sending.delete(sending);
        const settled = this.#batchSettled;
        this.#batchSettled = undefined;
        settled?.resolve();
      });
    this.#sending.add(sending);
  }

  async #send(batch: readonly Queued[]): Promise<void> {
    // After a failure the run is stopping: queued batches stay unacknowledged and unsent, and
    // the next run sends them (their objects were never checkpointed).
    if (this.#failure) return;
    const outcomes = await this.#requester.createAll(batch.map((q) => q.op));
    const rejected: { readonly queued: Queued; readonly outcome: Extract<CreateOutcome, { kind: 'rejected' }> }[] = [];
    outcomes.forEach((outcome, i) => {
      const queued = batch[i]!;
      if (outcome.kind === 'rejected') {
        rejected.push({ queued, outcome });
        return;
      }
      // Acknowledged only now that Elasticsearch holds the document: the pipeline checkpoints on
      // acknowledgements, so after a crash we send again, and deterministic _ids make the second
      // send harmless (a 409 counted as a duplicate).
      this.#stats[outcome.kind === 'created' ? 'created' : 'duplicates']++;
      queued.item.ack(outcome.kind);
    });
    if (rejected.length === 0) return;
    await this.#deadLetters.write(
      rejected.map(({ queued: { item, op }, outcome }) => ({
        origin: item.origin,
        code: 'es_rejected',
        message: outcome.reason,
        errorType: outcome.type,
        // The document we tried stands in for the raw record when the caller kept none.
        raw: item.raw ? item.raw() : op.source,
        target: { index: op.index, id: op.id },
      })),
    );
    for (const { queued } of rejected) {
      this.#stats.deadLettered++;
      queued.item.ack('dead_lettered');
    }
  }
}
