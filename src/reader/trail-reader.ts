// Reads one fetched CloudTrail object: gunzips it as a stream and feeds the chunks to the records
// scanner, so memory holds one chunk and one record, never the decompressed file. Every failure is
// a `TrailProblem` value with the object's origin; records before a failure are still yielded.
//
// Content decides, not the key: bytes starting with the gzip magic (1f 8b, RFC 1952 §2.3.1) are
// gunzipped, anything else is read as plain JSON. CloudTrail always gzips, but an object uploaded
// with `Content-Encoding: gzip` may reach us already decoded, and people gunzip files to look at them.
import { createGunzip } from 'node:zlib';
import { objectLocation } from './object-location.js';
import { RecordsScanner } from './records-scanner.js';
import type { TrailReadLimits, TrailRecordResult } from './types.js';

/**
 * Bytes handed to the scanner at a time: big enough that per-chunk overhead vanishes, small enough
 * to bound memory. The stream keeps its default read-ahead: a 1 MiB highWaterMark made reads
 * slower (about 110 vs 200 MB/s), because `read()` then concatenates the buffered chunks.
 */
const CHUNK_BYTES = 256 * 1024;

export async function* readTrailRecords(
  compressed: Buffer,
  origin: { readonly bucket: string; readonly key: string },
  limits: TrailReadLimits,
): AsyncIterable<TrailRecordResult> {
  const scanner = new RecordsScanner(origin, limits);
  const location = objectLocation(origin.bucket, origin.key);
  const wholeObject = (code: string, message: string): TrailRecordResult => ({
    ok: false,
    problem: { origin: { bucket: origin.bucket, key: origin.key, recordIndex: -1 }, code, message },
  });
  let total = 0;
  for await (const chunk of decompressedChunks(compressed)) {
    if (chunk instanceof Error) {
      yield gzipProblem(chunk, location, wholeObject);
      return;
    }
    total += chunk.length;
    if (total > limits.maxDecompressedBytes) {
      yield wholeObject(
        'decompressed_too_large',
        `${location} decompresses to more than ${limits.maxDecompressedBytes} bytes; the records before that point were read.`,
      );
      return;
    }
    yield* scanner.push(chunk);
    if (scanner.done) return;
  }
  yield* scanner.end();
}

/**
 * The object's content in chunks of at most CHUNK_BYTES: inflated as a stream for gzip (Node's
 * zlib stream applies backpressure, so it inflates only as fast as we read), sliced without copying
 * otherwise. A gunzip failure ends the sequence as an Error value, after the data inflated before it.
 */
async function* decompressedChunks(bytes: Buffer): AsyncIterable<Buffer | Error> {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  gunzip.end(bytes);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        yield error instanceof Error ? error : new Error(String(error));
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    gunzip.destroy();
  }
}

// zlib reports a cut-off stream as Z_BUF_ERROR ("unexpected end of file") and bad data (header,
// deflate blocks, CRC-32 or length trailer) as Z_DATA_ERROR.
function gzipProblem(error: Error, location: string, wholeObject: (code: string, message: string) => TrailRecordResult): TrailRecordResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return wholeObject('truncated', `${location} is a truncated gzip stream; the records before the cut were read.`);
  return wholeObject('gzip_corrupt', `${location} is not valid gzip: ${error.message}.`);
}
