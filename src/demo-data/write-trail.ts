// Writes generated trail files as gzip objects to a directory or an S3 bucket, a few at a time:
// the next file is generated (on the main thread) while earlier ones are compressed (in libuv's
// thread pool) and written, and no more than `concurrency` files are held at once.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, type BucketLocationConstraint, type S3Client } from '@aws-sdk/client-s3';
import { toSourceError, type S3CallContext } from '../source/s3-errors.js';
import { describeEndpoint } from '../source/s3-source.js';
import type { GeneratedFile } from './generate-trail.js';

const gzipAsync = promisify(gzip);

/** Stores one object; keys are `/`-separated. */
export type PutObject = (key: string, body: Buffer) => Promise<void>;

export interface TrailWriteSummary {
  readonly logFiles: number;
  readonly digestFiles: number;
  readonly events: number;
  /** JSON bytes before compression. */
  readonly jsonBytes: number;
  readonly gzipBytes: number;
}

export interface TrailWriteOptions {
  /** Files compressed and written at once; default 4 (the thread pool's size). */
  readonly concurrency?: number;
  /** zlib level; default 6, as `gzip` uses. */
  readonly gzipLevel?: number;
}

export async function writeTrail(files: Iterable<GeneratedFile>, put: PutObject, options: TrailWriteOptions = {}): Promise<TrailWriteSummary> {
  const concurrency = options.concurrency ?? 4;
  const level = options.gzipLevel ?? 6;
  const summary = { logFiles: 0, digestFiles: 0, events: 0, jsonBytes: 0, gzipBytes: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const store = async (file: GeneratedFile) => {
    const compressed = await gzipAsync(file.body, { level });
    await put(file.key, compressed);
    summary.gzipBytes += compressed.length;
  };
  for (const file of files) {
    if (failure) break;
    summary[file.kind === 'log' ? 'logFiles' : 'digestFiles'] += 1;
    summary.events += file.events;
    summary.jsonBytes += file.body.length;
    const task: Promise<void> = store(file)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return summary;
}

/** Writes under a directory, creating folders as needed. */
export function directoryWriter(directory: string): PutObject {
  const made = new Set<string>();
  return async (key, body) => {
    const path = join(directory, ...key.split('/'));
    const folder = dirname(path);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(path, body);
  };
}

/** Writes objects to a bucket; S3 errors become one-line `SourceError`s. */
export function s3Writer(client: S3Client, bucket: string): PutObject {
  return async (key, body) => {
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    } catch (error) {
      throw toSourceError(error, { operation: 'PutObject', bucket, key, endpoint: await describeEndpoint(client) });
    }
  };
}

/** Creates the bucket when it does not exist (`--create-bucket`, for local S3 servers). */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  const fail = async (error: unknown, operation: S3CallContext['operation']) =>
    toSourceError(error, { operation, bucket, endpoint: await describeEndpoint(client) });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    const missing = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
    if (!missing) throw await fail(error, 'HeadBucket');
  }
  try {
    // Outside us-east-1, S3 wants the region repeated as the bucket's location constraint.
    const region = await client.config.region();
    const location = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
    await client.send(new CreateBucketCommand({ Bucket: bucket, ...location }));
  } catch (error) {
    throw await fail(error, 'CreateBucket');
  }
}
