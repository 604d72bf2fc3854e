// What flows into the Elasticsearch sink and what it reports back; the pipeline's ports
// (pipeline/ports.ts) reuse these types, since only the pipeline knows every stage.
import type { RecordOrigin } from '../source/types.js';

/** The final fate of one document; only reported once Elasticsearch holds it or its dead letter. */
export type AckOutcome = 'created' | 'duplicate' | 'dead_lettered';

export interface BulkItem {
  /** Deterministic `_id`: the same record always gets the same id, so a re-send is a no-op. */
  readonly id: string;
  /** Target index or data stream. */
  readonly index: string;
  readonly doc: Record<string, unknown>;
  readonly origin: RecordOrigin;
  /** The raw record JSON, produced only if the document ends up dead-lettered. */
  readonly raw?: () => string;
  readonly ack: (outcome: AckOutcome) => void;
}

/** Counters of a sink or dead-letter writer; only ever increase. */
export interface BulkStats {
  /** Operations sent for the first time (ids found in older backing indices are not sent). */
  sent: number;
  created: number;
  /** Already indexed: a 409 on `create`, or found in an older backing index. */
  duplicates: number;
  /** Operations sent again after a 429/5xx item or a failed request. */
  retried: number;
  deadLettered: number;
  /** Bulk requests (and look-ups) that failed as a whole: no answer, 429 or 5xx. */
  failedRequests: number;
  /** Request body bytes sent, retries included. */
  bytes: number;
}

export function emptyBulkStats(): BulkStats {
  return { sent: 0, created: 0, duplicates: 0, retried: 0, deadLettered: 0, failedRequests: 0, bytes: 0 };
}

/** A record or object that cannot be indexed, as the pipeline reports it. */
export interface DeadLetter {
  readonly origin: RecordOrigin;
  /** Stable snake_case code, e.g. `corrupt_gzip`, `es_rejected`. */
  readonly code: string;
  readonly message: string;
  /** The raw record (or as much of the object as is useful), kept unindexed. */
  readonly raw?: string;
}

