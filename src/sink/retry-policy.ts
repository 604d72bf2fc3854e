// What the bulk sink does with each answer from Elasticsearch, as pure tables: which outcomes are
// final, which deserve another attempt, and how long to wait before it. Tested against response
// bodies captured from a real cluster (test/fixtures/es-responses/).

/** What happened to one `create` operation of a bulk request. */
export type BulkItemClass =
  /** Indexed now. */
  | 'ok'
  /** The `_id` already exists: indexed by an earlier attempt or an earlier run. */
  | 'duplicate'
  /** Transient (overload, unavailable shard): send the document again later. */
  | 'retry'
  /** This document can never be indexed as it is (mapping or parse error): keep it as a dead letter. */
  | 'dead-letter'
  /** The target refuses every document (no privilege, write block, missing index): stop the run. */
  | 'fatal';

/** The `error` object of a bulk response item. */
export interface BulkItemError {
  readonly type?: string;
  readonly reason?: string;
}

export function classifyBulkItem(status: number, error?: BulkItemError): BulkItemClass {
  if (status === 200 || status === 201) return 'ok';
  // We only ever send `create`, which refuses an existing _id with this conflict. Other 409s
  // (none known for create) fall through to the dead letters rather than being miscounted.
  if (status === 409 && error?.type === 'version_conflict_engine_exception') return 'duplicate';
  // 429: rejected execution, circuit breaker, flood-stage disk block; 5xx: unavailable shards,
  // node restarts. All of them pass, and the document is fine.
  if (status === 429 || status >= 500) return 'retry';
  // These say nothing about the document: dead-lettering would move every document of the run
  // into the dead letters and exit "partial" instead of naming the configuration fault.
  if (status === 401 || status === 403 || status === 404) return 'fatal';
  return 'dead-letter';
}

/**
 * A whole bulk request failed, with an HTTP status or with `no-answer` (connection refused or
 * reset, timeout, truncated body). Without an answer the request may or may not have been
 * applied; sending it again is harmless because every operation is a `create` with a
 * deterministic `_id`. `other` covers failures that are not about the exchange (a bug).
 */
export function classifyRequestFailure(outcome: number | 'no-answer' | 'other'): 'retry' | 'fatal' {
  if (outcome === 'no-answer') return 'retry';
  if (outcome === 'other') return 'fatal';
  // 501 Not Implemented will not change on a retry (the same choice as Vector's retry.rs).
  return outcome === 429 || (outcome >= 500 && outcome !== 501) ? 'retry' : 'fatal';
}

export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  readonly baseMs: number;
  /** Largest delay ceiling, in ms. */
  readonly maxMs: number;
}

/**
 * Delay before retry number `retry` (1-based): the ceiling doubles from `baseMs` up to `maxMs`,
 * and the delay is drawn from its upper half ("equal jitter"), so sinks that failed together do
 * not come back together, yet none comes back at once.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
