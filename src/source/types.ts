// What the source stage hands on: partitions (one account/region of one trail prefix) and the
// objects listed inside them. Both S3 and a local directory produce these.

/** One account/region of a trail: the unit of checkpoints, leases, correlation state and sharding. */
export interface Partition {
  /** Stable id, e.g. `123456789012/us-east-1` or `o-abc123/123456789012/us-east-1`; prefixes with a custom path keep it unique. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  /** Organization id for organization trails (`AWSLogs/<o-…>/<account>/…`). */
  readonly org?: string;
  /** Key prefix up to and including `CloudTrail/<region>/`; date folders follow. */
  readonly prefix: string;
}

/** One CloudTrail log file. */
export interface TrailObject {
  /** Bucket name, or the local directory for a local source. */
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly partition: Partition;
}

/** Where a record came from; carried by errors, logs, dead letters and indexed documents. */
export interface RecordOrigin {
  readonly bucket: string;
  readonly key: string;
  /** Index in the file's `Records` array; -1 when the problem concerns the whole object. */
  readonly recordIndex: number;
}

/** Limits a listing to some accounts/regions (`--accounts`, `--regions`). Empty means all. */
export interface PartitionFilter {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/** Key range of one partition listing: keys strictly after `startAfter`, and before `endBefore`. */
export interface ListWindow {
  readonly startAfter?: string;
  readonly endBefore?: string;
}

/** An object seen while listing that is not a CloudTrail log file (digest, folder marker, other). */
export interface SkippedObject {
  readonly key: string;
  readonly reason: 'digest' | 'not_a_log_file';
}

export type ListedObject =
  | { readonly kind: 'log'; readonly object: TrailObject }
  | { readonly kind: 'skipped'; readonly skipped: SkippedObject };

/** Where CloudTrail files come from: an S3 bucket (or S3-compatible store) or a local directory. */
export interface TrailSource {
  /** For logs and errors: `s3://bucket/prefix` or the directory path. Never holds credentials. */
  readonly description: string;
  /** Discovers partitions by listing with delimiters (or takes them from the filter). */
  listPartitions(filter: PartitionFilter): AsyncIterable<Partition>;
  /** Lists one partition's objects in key order (which is delivery-time order) inside the window. */
  listObjects(partition: Partition, window: ListWindow): AsyncIterable<ListedObject>;
  /** The object's bytes as stored (gzip-compressed for CloudTrail). */
  fetch(object: TrailObject): Promise<Buffer>;
  /** Deletes the object (`--delete`); only called once all its documents are acknowledged. */
  delete(object: TrailObject): Promise<void>;
}
