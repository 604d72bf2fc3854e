// The S3 source: discovers partitions with delimiter listings, lists one partition's keys inside a
// delivery-time window, fetches and deletes objects. Listing cost follows the window, never the
// bucket: a listing starts at the window's first key (`StartAfter`) and stops at its end.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SourceError, type CtindexError } from '../errors.js';
import { discoverPartitions } from './discover-partitions.js';
import { toSourceError, type S3CallContext } from './s3-errors.js';
import { listedObject, normalizePrefix } from './trail-keys.js';
import type { ListWindow, ListedObject, Partition, PartitionFilter, TrailObject, TrailSource } from './types.js';

export interface S3TrailSourceOptions {
  readonly bucket: string;
  /** The trail's custom S3 key prefix (before `AWSLogs/`); default none. */
  readonly prefix?: string;
  /** Largest object `fetch` accepts, in bytes; default 256 MiB (CloudTrail files are a few MB). */
  readonly maxObjectBytes?: number;
  /** Keys per `ListObjectsV2` page (S3's maximum is 1,000); default 1,000. */
  readonly pageSize?: number;
}

export const S3_SOURCE_DEFAULTS = { maxObjectBytes: 256 * 1024 * 1024, pageSize: 1000 } as const;

export class S3TrailSource implements TrailSource {
  readonly description: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #maxObjectBytes: number;
  readonly #pageSize: number;
  #endpoint: Promise<string> | undefined;

  constructor(client: S3Client, options: S3TrailSourceOptions) {
    this.#client = client;
    this.#bucket = options.bucket;
    this.#prefix = normalizePrefix(options.prefix);
    this.#maxObjectBytes = options.maxObjectBytes ?? S3_SOURCE_DEFAULTS.maxObjectBytes;
    this.#pageSize = options.pageSize ?? S3_SOURCE_DEFAULTS.pageSize;
    this.description = `s3://${this.#bucket}/${this.#prefix}`;
  }

  listPartitions(filter: PartitionFilter): AsyncIterable<Partition> {
    return discoverPartitions((prefix) => this.#listFolders(prefix), this.#prefix, filter);
  }

  async *listObjects(partition: Partition, window: ListWindow): AsyncIterable<ListedObject> {
    const { startAfter, endBefore } = window;
    let token: string | undefined;
    do {
      const page = await this.#call({ operation: 'ListObjectsV2' }, () =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: partition.prefix,
            MaxKeys: this.#pageSize,
            // S3 ignores StartAfter once a continuation token is sent.
            ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
          }),
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        // Keys come in UTF-8 byte order; CloudTrail keys are ASCII, where that equals JS order.
        if (endBefore !== undefined && item.Key >= endBefore) return;
        yield listedObject(this.#bucket, item.Key, item.Size ?? 0, partition);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async fetch(object: TrailObject): Promise<Buffer> {
    const call = { operation: 'GetObject', key: object.key } as const;
    if (object.size > this.#maxObjectBytes) throw this.#tooLarge(object.key, object.size);
    const output = await this.#call(call, () => this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: object.key })));
    // In Node the body is an http.IncomingMessage; iterate it as chunks and stop at the size limit.
    const body = output.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!body) return Buffer.alloc(0);
    if ((output.ContentLength ?? 0) > this.#maxObjectBytes) {
      body.destroy?.();
      throw this.#tooLarge(object.key, output.ContentLength ?? 0);
    }
    return this.#call(call, async () => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > this.#maxObjectBytes) {
          body.destroy?.();
          throw this.#tooLarge(object.key, size);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, size);
    });
  }

  async delete(object: TrailObject): Promise<void> {
    await this.#call({ operation: 'DeleteObject', key: object.key }, () =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: object.key })),
    );
  }

  async *#listFolders(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.#call({ operation: 'ListObjectsV2' }, () =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: prefix,
            Delimiter: '/',
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const common of page.CommonPrefixes ?? []) {
        const folder = common.Prefix?.slice(prefix.length, -1);
        if (folder) yield folder;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  #tooLarge(key: string, size: number): SourceError {
    return new SourceError(
      'object_too_large',
      `s3://${this.#bucket}/${key} is ${size} bytes, over the ${this.#maxObjectBytes}-byte limit for one object.`,
      { bucket: this.#bucket, key, size, limit: this.#maxObjectBytes },
    );
  }

  async #call<T>(call: Pick<S3CallContext, 'operation' | 'key'>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw await this.#translate(error, call);
    }
  }

  async #translate(error: unknown, call: Pick<S3CallContext, 'operation' | 'key'>): Promise<CtindexError> {
    this.#endpoint ??= describeEndpoint(this.#client);
    const context: S3CallContext = { ...call, bucket: this.#bucket, endpoint: await this.#endpoint };
    return toSourceError(error, context);
  }
}

/** `http://host:port` for a custom endpoint, `AWS S3 (region)` otherwise; used only in messages. */
export async function describeEndpoint(client: S3Client): Promise<string> {
  try {
    const endpoint = client.config.endpoint ? await client.config.endpoint() : undefined;
    if (endpoint) return `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`;
    return `AWS S3 (${await client.config.region()})`;
  } catch {
    return 'AWS S3';
  }
}
