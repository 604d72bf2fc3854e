// A directory laid out like a CloudTrail bucket (`<dir>/[prefix/]AWSLogs/…`), for the demo, tests
// and files copied out of S3. Keys are paths relative to the directory with `/` separators, and
// listings walk only the folders a window can reach, in the same key order S3 uses.
import { opendir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError } from '../errors.js';
import { discoverPartitions } from './discover-partitions.js';
import { listedObject, normalizePrefix } from './trail-keys.js';
import type { ListWindow, ListedObject, Partition, PartitionFilter, TrailObject, TrailSource } from './types.js';

export interface LocalTrailSourceOptions {
  /** The trail's custom prefix (sub-folder before `AWSLogs/`); default none. */
  readonly prefix?: string;
  /** Largest file `fetch` accepts, in bytes; default 256 MiB. */
  readonly maxObjectBytes?: number;
}

interface Entry {
  /** Key of a file, or key prefix (ending in `/`) of a folder. */
  readonly key: string;
  readonly folder: boolean;
}

export class LocalTrailSource implements TrailSource {
  readonly description: string;
  /** Absolute directory path; it is the `bucket` of every object, so origins do not depend on the cwd. */
  readonly #root: string;
  readonly #prefix: string;
  readonly #maxObjectBytes: number;

  constructor(directory: string, options: LocalTrailSourceOptions = {}) {
    this.#root = resolve(directory);
    this.#prefix = normalizePrefix(options.prefix);
    this.#maxObjectBytes = options.maxObjectBytes ?? 256 * 1024 * 1024;
    this.description = this.#prefix ? join(this.#root, this.#prefix) : this.#root;
  }

  async *listPartitions(filter: PartitionFilter): AsyncIterable<Partition> {
    const info = await stat(this.#root).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new SourceError('directory_not_found', `Trail directory ${this.#root} does not exist or is not a directory.`, {
        bucket: this.#root,
      });
    }
    yield* discoverPartitions((prefix) => this.#listFolders(prefix), this.#prefix, filter);
  }

  async *listObjects(partition: Partition, window: ListWindow): AsyncIterable<ListedObject> {
    for await (const entry of this.#walk(partition.prefix, window)) {
      const size = (await stat(this.#path(entry.key))).size;
      yield listedObject(this.#root, entry.key, size, partition);
    }
  }

  async fetch(object: TrailObject): Promise<Buffer> {
    const path = this.#path(object.key);
    try {
      const { size } = await stat(path);
      if (size > this.#maxObjectBytes) {
        throw new SourceError('object_too_large', `${path} is ${size} bytes, over the ${this.#maxObjectBytes}-byte limit for one object.`, {
          bucket: this.#root,
          key: object.key,
          size,
          limit: this.#maxObjectBytes,
        });
      }
      return await readFile(path);
    } catch (error) {
      throw fileError(error, 'read', path, object);
    }
  }

  async delete(object: TrailObject): Promise<void> {
    const path = this.#path(object.key);
    await rm(path).catch((error: unknown) => {
      throw fileError(error, 'delete', path, object);
    });
  }

  #path(key: string): string {
    return join(this.#root, ...key.split('/'));
  }

  async *#listFolders(prefix: string): AsyncIterable<string> {
    for (const entry of await this.#entries(prefix)) {
      if (entry.folder) yield entry.key.slice(prefix.length, -1);
    }
  }

  /**
   * Files under `prefix` in key order, strictly after `startAfter` and before `endBefore`. A folder
   * whose keys all sort at or before `startAfter` is skipped unopened, and the walk ends at the
   * first folder or file at or past `endBefore`, so a window costs the days it covers.
   */
  async *#walk(prefix: string, window: ListWindow): AsyncIterable<Entry> {
    const { startAfter, endBefore } = window;
    for (const entry of await this.#entries(prefix)) {
      if (endBefore !== undefined && entry.key >= endBefore) return;
      if (entry.folder) {
        const allBefore = startAfter !== undefined && startAfter > entry.key && !startAfter.startsWith(entry.key);
        if (!allBefore) yield* this.#walk(entry.key, window);
      } else if (startAfter === undefined || entry.key > startAfter) {
        yield entry;
      }
    }
  }

  /**
   * The entries of one folder sorted as S3 sorts keys. A folder sorts by `name/`, because every key
   * inside it starts so; that keeps a depth-first walk in global key order.
   */
  async #entries(prefix: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    try {
      for await (const dirent of await opendir(this.#path(prefix))) {
        if (dirent.isDirectory()) entries.push({ key: `${prefix}${dirent.name}/`, folder: true });
        else if (dirent.isFile()) entries.push({ key: `${prefix}${dirent.name}`, folder: false });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw fileError(error, 'list', this.#path(prefix), undefined);
    }
    // Plain code-unit order equals S3's byte order for the ASCII names CloudTrail writes.
    return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

function fileError(error: unknown, action: 'read' | 'delete' | 'list', path: string, object: TrailObject | undefined): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const context = { bucket: object?.bucket, key: object?.key, errno: code };
  if (code === 'ENOENT') return new SourceError('object_not_found', `${path} does not exist.`, context, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new SourceError('access_denied', `Permission denied: cannot ${action} ${path}.`, context, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new SourceError('file_error', `Cannot ${action} ${path}: ${detail}`, context, { cause: error });
}
