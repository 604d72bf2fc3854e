// Drives `create` operations through bulk requests until each one has a final outcome: whole
// requests that got no useful answer and single items Elasticsearch asked to send again are
// retried with capped, jittered backoff. Shared by the document sink and the dead-letter writer.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { SinkError } from '../errors.js';
import { failedCallOutcome, toSinkError } from './es-client.js';
import { backoffDelayMs, classifyBulkItem, classifyRequestFailure, type BulkItemError } from './retry-policy.js';
import type { BulkStats } from './types.js';

/** One `create` operation, serialised once: the bytes counted are the bytes sent. */
export interface CreateOp {
  readonly index: string;
  readonly id: string;
  /** The action line, without its newline. */
  readonly action: string;
  /** The document line, without its newline; also what a dead letter keeps if no raw record is given. */
  readonly source: string;
  /** Both lines and their newlines, in UTF-8 bytes. */
  readonly bytes: number;
}

export function encodeCreate(index: string, id: string, doc: unknown): CreateOp {
  const action = JSON.stringify({ create: { _index: index, _id: id } });
  const source = JSON.stringify(doc);
  return { index, id, action, source, bytes: Buffer.byteLength(action) + Buffer.byteLength(source) + 2 };
}

export type CreateOutcome =
  | { readonly kind: 'created' | 'duplicate' }
  /** Refused for good: this document cannot be indexed as it is. */
  | { readonly kind: 'rejected'; readonly status: number; readonly type: string; readonly reason: string };

export interface RetryOptions {
  /** Attempts after the first, per batch. */
  readonly maxRetries: number;
  /** Backoff ceiling of the first retry, in ms. */
  readonly baseMs: number;
  /** Largest backoff ceiling, in ms. */
  readonly maxMs: number;
}

/** About a minute of retrying (0.5 + 1 + 2 + 4 + 8 + 16 + 30 s ceilings) before the run stops. */
export const DEFAULT_RETRY: RetryOptions = { maxRetries: 7, baseMs: 500, maxMs: 30_000 };

/** Called before each attempt with the operations still unsent; returns those already indexed. */
export type AlreadyIndexed = (ops: readonly CreateOp[]) => Promise<ReadonlySet<CreateOp>>;

/** Keeps only what we read from a response: a bulk answer can be megabytes of metadata per batch. */
const RESPONSE_FILTER = ['errors', 'items.*.status', 'items.*.error'];

interface ItemError extends BulkItemError {
  readonly caused_by?: ItemError;
}

interface ItemResult {
  readonly status: number;
  readonly error?: ItemError;
}

/** `reason: caused_by.reason: …`, the chain ES uses to say which field and value failed. */
function describeItemError(error: ItemError | undefined): string {
  const reasons: string[] = [];
  for (let e = error; e && reasons.length < 3; e = e.caused_by) {
    if (e.reason) reasons.push(e.reason);
  }
  return reasons.join(': ') || 'no reason given';
}

export class BulkRequester {
  readonly #client: Client;
  readonly #endpoint: string;
  readonly #retry: RetryOptions;
  readonly #stats: BulkStats;
  readonly #alreadyIndexed: AlreadyIndexed | undefined;

  /** `stats` is updated in place (sent, retried, failedRequests, bytes); outcomes are the caller's to count. */
  constructor(client: Client, endpoint: string, retry: RetryOptions, stats: BulkStats, alreadyIndexed?: AlreadyIndexed) {
    this.#client = client;
    this.#endpoint = endpoint;
    this.#retry = retry;
    this.#stats = stats;
    this.#alreadyIndexed = alreadyIndexed;
  }

  /**
   * Resolves with one outcome per operation, in order. Rejects with a `SinkError` when a request
   * fails for good, when items still ask for a retry after `maxRetries`, or when the target refuses
   * every document; operations without an outcome then stay unacknowledged and are sent again by
   * the next run.
   */
  async createAll(ops: readonly CreateOp[]): Promise<CreateOutcome[]> {
    const outcomes = new Map<CreateOp, CreateOutcome>();
    let pending = ops;
    for (let attempt = 0; ; attempt++) {
      let retryReason: string;
      try {
        pending = await this.#dropAlreadyIndexed(pending, outcomes);
        if (pending.length === 0) break;
        const settled = this.#settle(pending, await this.#post(pending, attempt), outcomes);
        pending = settled.retry;
        if (pending.length === 0) break;
        retryReason = `${pending.length} documents were answered ${settled.reason}`;
      } catch (err) {
        const outcome = failedCallOutcome(err);
        if (classifyRequestFailure(outcome) === 'fatal' || attempt >= this.#retry.maxRetries) {
          throw toSinkError(err, this.#endpoint, `sending ${pending.length} documents in a bulk request (attempt ${attempt + 1})`);
        }
        this.#stats.failedRequests++;
        retryReason = `the bulk request got ${outcome === 'no-answer' ? 'no answer' : `status ${outcome}`}`;
      }
      if (attempt >= this.#retry.maxRetries) {
        throw new SinkError(
          'bulk_retries_exhausted',
          `Elasticsearch at ${this.#endpoint} still asked for retries after ${this.#retry.maxRetries} of them: ${retryReason}.`,
          { endpoint: this.#endpoint, pending: pending.length },
        );
      }
      await sleep(backoffDelayMs(attempt + 1, this.#retry));
    }
    // Every operation left the loop with an outcome: settled, found, or the loop threw.
    return ops.map((op) => outcomes.get(op)!);
  }

  async #dropAlreadyIndexed(ops: readonly CreateOp[], outcomes: Map<CreateOp, CreateOutcome>): Promise<readonly CreateOp[]> {
    if (!this.#alreadyIndexed) return ops;
    const found = await this.#alreadyIndexed(ops);
    if (found.size === 0) return ops;
    for (const op of found) outcomes.set(op, { kind: 'duplicate' });
    return ops.filter((op) => !found.has(op));
  }

  async #post(ops: readonly CreateOp[], attempt: number): Promise<ItemResult[]> {
    if (attempt === 0) this.#stats.sent += ops.length;
    else this.#stats.retried += ops.length;
    this.#stats.bytes += ops.reduce((sum, op) => sum + op.bytes, 0);
    // Strings pass through the client's ndjson serialiser untouched: no second JSON.stringify.
    const response = await this.#client.bulk(
      { operations: ops.flatMap((op) => [op.action, op.source]), filter_path: RESPONSE_FILTER },
      // Our loop retries with backoff and counts; the client's immediate retries would do neither.
      { maxRetries: 0 },
    );
    const items = response.items.map((item) => item.create);
    if (items.length !== ops.length || items.some((i) => i === undefined)) {
      throw new SinkError('bulk_response_mismatch', `Elasticsearch at ${this.#endpoint} answered a bulk request of ${ops.length} creates with ${items.length} items.`, {
        endpoint: this.#endpoint,
      });
    }
    return items as ItemResult[];
  }

  /** Records final outcomes; returns the operations to send again and why. */
  #settle(ops: readonly CreateOp[], items: readonly ItemResult[], outcomes: Map<CreateOp, CreateOutcome>): { retry: CreateOp[]; reason: string } {
    const retry: CreateOp[] = [];
    let reason = '';
    ops.forEach((op, i) => {
      const item = items[i]!;
      switch (classifyBulkItem(item.status, item.error)) {
        case 'ok':
          outcomes.set(op, { kind: 'created' });
          break;
        case 'duplicate':
          outcomes.set(op, { kind: 'duplicate' });
          break;
        case 'retry':
          retry.push(op);
          reason ||= `${item.status} ${item.error?.type ?? ''}`.trim();
          break;
        case 'dead-letter':
          outcomes.set(op, { kind: 'rejected', status: item.status, type: item.error?.type ?? 'unknown', reason: describeItemError(item.error) });
          break;
        case 'fatal':
          throw new SinkError(
            'es_target_refused',
            `Elasticsearch at ${this.#endpoint} refuses documents for ${op.index} (${item.status} ${item.error?.type ?? ''}: ${describeItemError(item.error)}).`,
            { endpoint: this.#endpoint, index: op.index, status: item.status },
          );
      }
    });
    return { retry, reason };
  }
}
