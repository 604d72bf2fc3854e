// Keeps what cannot be indexed in the dead-letter data stream (`ctindex-deadletter-<ns>`): records
// Elasticsearch rejected, and whole objects the pipeline could not read. Each dead letter says
// why (code, error type, message), where from (bucket, key, record index) and holds the raw
// record, so it can be fixed and replayed. If a dead letter cannot be written either, the run
// stops with a SinkError: nothing is dropped silently.
import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { SinkError } from '../errors.js';
import { BulkRequester, DEFAULT_RETRY, encodeCreate, type RetryOptions } from './bulk-request.js';
import { describeClient } from './es-client.js';
import { emptyBulkStats, type BulkStats, type DeadLetter } from './types.js';

/** A dead letter with what the sink knows about a rejected document. */
export interface DeadLetterEntry extends DeadLetter {
  /** Elasticsearch's error type, e.g. `document_parsing_exception`. */
  readonly errorType?: string;
  /** Where the document was meant to go. */
  readonly target?: { readonly index: string; readonly id: string };
}

/** The stored shape; the dead-letter index template maps these fields. */
export interface DeadLetterDocument {
  readonly '@timestamp': string;
  readonly error: { readonly code: string; readonly type?: string; readonly message: string };
  readonly ctindex: {
    readonly origin: { readonly bucket: string; readonly key: string; readonly record_index: number };
    readonly target?: { readonly index: string; readonly id: string };
  };
  /** ECS's field for the original event, unindexed. */
  readonly event?: { readonly original: string };
}

export function toDeadLetterDocument(entry: DeadLetterEntry, now: Date): DeadLetterDocument {
  const { origin } = entry;
  return {
    '@timestamp': now.toISOString(),
    error: { code: entry.code, type: entry.errorType, message: entry.message },
    ctindex: { origin: { bucket: origin.bucket, key: origin.key, record_index: origin.recordIndex }, target: entry.target },
    event: entry.raw === undefined ? undefined : { original: entry.raw },
  };
}

/**
 * Same problem at the same place, same `_id`: a run replayed after a crash finds its dead letters
 * already there (409 on create) instead of doubling them.
 */
function deadLetterId(entry: DeadLetterEntry): string {
  const { bucket, key, recordIndex } = entry.origin;
  return createHash('sha256').update(`${bucket}\n${key}\n${recordIndex}\n${entry.code}`).digest('base64url');
}

export interface DeadLetterWriterOptions {
  /** For messages; default: the client's nodes without credentials. */
  readonly endpoint?: string;
  /** Default: DEFAULT_RETRY (about a minute). */
  readonly retry?: RetryOptions;
  readonly now?: () => Date;
}

export class DeadLetterWriter {
  readonly #index: string;
  readonly #endpoint: string;
  readonly #now: () => Date;
  readonly #stats = emptyBulkStats();
  readonly #requester: BulkRequester;

  constructor(client: Client, index: string, options: DeadLetterWriterOptions = {}) {
    this.#index = index;
    this.#endpoint = options.endpoint ?? describeClient(client);
    this.#now = options.now ?? (() => new Date());
    this.#requester = new BulkRequester(client, this.#endpoint, options.retry ?? DEFAULT_RETRY, this.#stats);
  }

  /** `created` counts dead letters written; `duplicates` those already there from an earlier run. */
  get stats(): Readonly<BulkStats> {
    return { ...this.#stats };
  }

  /** One problem, typically about a whole object (corrupt gzip…); resolves once it is stored. */
  deadLetter(problem: DeadLetter): Promise<void> {
    return this.write([problem]);
  }

  /** Several dead letters in one bulk request; resolves once all are stored. */
  async write(entries: readonly DeadLetterEntry[]): Promise<void> {
    const now = this.#now();
    const ops = entries.map((e) => encodeCreate(this.#index, deadLetterId(e), toDeadLetterDocument(e, now)));
    const outcomes = await this.#requester.createAll(ops);
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'rejected') {
        const { origin } = entries[i]!;
        throw new SinkError(
          'dead_letter_rejected',
          `Elasticsearch at ${this.#endpoint} refused the dead letter for record ${origin.recordIndex} of ${origin.key} (${origin.bucket}) in ${this.#index} (${outcome.status} ${outcome.type}: ${outcome.reason}).`,
          { endpoint: this.#endpoint, index: this.#index, bucket: origin.bucket, key: origin.key, recordIndex: origin.recordIndex },
        );
      }
      this.#stats[outcome.kind === 'created' ? 'created' : 'duplicates']++;
    });
  }
}
