// What the reader hands on: each element of a CloudTrail file's `Records` array as a parsed
// object with its origin, or a problem (bad object or bad record) that becomes a dead letter.
import type { RecordOrigin } from '../source/types.js';

/** A record or a whole object that could not be read. `origin.recordIndex` is -1 for the whole object. */
export interface TrailProblem {
  readonly origin: RecordOrigin;
  /**
   * Stable snake_case code: `gzip_corrupt`, `truncated`, `not_json`, `no_records`, `empty_object`,
   * `decompressed_too_large`, `trailing_data` (whole object); `record_not_object`,
   * `record_too_large`, `invalid_utf8`, `nul_byte`, `not_json` (one record).
   */
  readonly code: string;
  /** One line naming the object (and `Record N` where it applies). */
  readonly message: string;
  /** The record's text when there is one to keep (not for whole-object or oversized problems). */
  readonly raw?: string;
}

export type TrailRecordResult =
  | {
      readonly ok: true;
      readonly record: Record<string, unknown>;
      /** The record's JSON text as stored: what a dead letter keeps, far smaller than the parsed object. */
      readonly text: string;
      /** Index in the file's `Records` array. */
      readonly recordIndex: number;
      /** Size of the record's JSON text in bytes (UTF-8). */
      readonly bytes: number;
    }
  | { readonly ok: false; readonly problem: TrailProblem };

/** Bounds on what one object may cost to read. */
export interface TrailReadLimits {
  /** Stop reading an object past this many decompressed bytes (a gzip bomb guard). */
  readonly maxDecompressedBytes: number;
  /** Records larger than this many bytes are skipped with a `record_too_large` problem. */
  readonly maxRecordBytes: number;
}
