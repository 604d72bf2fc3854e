// The pipeline's view of its I/O edges. The Elasticsearch implementations live in sink/ and
// state/ (whose data types these ports reuse); dry runs plug in others with the same shape.
import type { CorrelationSnapshot } from '../rules/types.js';
import type { BulkItem, DeadLetter } from '../sink/types.js';
import type { Partition } from '../source/types.js';
import type { Checkpoint } from '../state/checkpoint.js';

export type { AckOutcome, BulkItem, DeadLetter } from '../sink/types.js';
export type { Checkpoint } from '../state/checkpoint.js';

export interface DocumentSink {
  /** Resolves once the item is accepted (waits while too many bytes are in flight). */
  write(item: BulkItem): Promise<void>;
  /** Sends everything pending and waits for every acknowledgement. */
  flush(): Promise<void>;
}

export interface DeadLetterSink {
  deadLetter(problem: DeadLetter): Promise<void>;
}

export interface LeaseHandle {
  readonly checkpoint: Checkpoint;
  readonly correlation: CorrelationSnapshot | null;
}

export interface PartitionStates<H extends LeaseHandle = LeaseHandle> {
  acquireLease(partition: Partition, owner: string, ttlMs: number): Promise<H | null>;
  renewLease(handle: H): Promise<boolean>;
  commit(handle: H, state: { checkpoint: Checkpoint; correlation: CorrelationSnapshot }): Promise<void>;
  releaseLease(handle: H): Promise<void>;
}
