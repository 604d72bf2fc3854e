// Ports for `--dry-run`: read and tag everything, write nothing. Documents are acknowledged at
// once, dead letters only logged, and no checkpoint or lease is kept, so a dry run needs no
// Elasticsearch at all and always covers the whole --since/--until window.
import type { Logger } from 'pino';
import type { BulkItem, DeadLetter, DeadLetterSink, DocumentSink, LeaseHandle, PartitionStates } from './ports.js';

export class DiscardingSink implements DocumentSink {
  async write(item: BulkItem): Promise<void> {
    item.ack('created');
  }
  async flush(): Promise<void> {}
}

export class LoggedDeadLetters implements DeadLetterSink {
  readonly #log: Logger;
  constructor(log: Logger) {
    this.#log = log;
  }
  async deadLetter(problem: DeadLetter): Promise<void> {
    this.#log.debug({ key: problem.origin.key, recordIndex: problem.origin.recordIndex, code: problem.code }, 'Would dead-letter (dry run).');
  }
}

export class EphemeralStates implements PartitionStates {
  async acquireLease(): Promise<LeaseHandle> {
    return { checkpoint: { watermark: null, done: [] }, correlation: null };
  }
  async renewLease(): Promise<boolean> {
    return true;
  }
  async commit(): Promise<void> {}
  async releaseLease(): Promise<void> {}
}
