// One document per partition in `ctindex-state-<ns>` holds, atomically, its checkpoint, its
// correlation state and the lease that lets one worker at a time sync it. Every write is
// conditional on the version this worker last saw (if_seq_no / if_primary_term), so a worker that
// lost its lease (paused past the TTL, partitioned away) can never overwrite the state of the
// worker that took over: its write fails, and it stops.
import type { Client } from '@elastic/elasticsearch';
import { CtindexError, SinkError } from '../errors.js';
import type { CorrelationSnapshot } from '../rules/types.js';
import { describeClient, failedCallOutcome, toSinkError } from '../sink/es-client.js';
import { backoffDelayMs } from '../sink/retry-policy.js';
import type { Partition } from '../source/types.js';
import { compareKeys, EMPTY_CHECKPOINT, type Checkpoint } from './checkpoint.js';
import { stateDocId } from './state-doc-id.js';

export function stateIndex(namespace: string): string {
  return `ctindex-state-${namespace}`;
}

interface StoredLease {
  readonly owner: string;
  /** ISO time; a lease past it is free for anyone. */
  readonly expiresAt: string;
}

/** The stored document; the state index template maps these fields. */
interface StateDocument {
  readonly partition: { readonly id: string; readonly account: string; readonly region: string; readonly org?: string; readonly prefix: string };
  readonly checkpoint: Checkpoint;
  /** The CorrelationSnapshot as JSON: a string, so the engine's keys never reach the mapping. */
  readonly correlation: string | null;
  readonly lease: StoredLease;
  readonly updatedAt: string;
  readonly runId?: string;
}

/** Every write renews or ends the lease and stamps the time; the rest is per operation. */
type StateWrite = Partial<StateDocument> & Pick<StateDocument, 'lease' | 'updatedAt'>;

interface DocVersion {
  readonly seqNo: number;
  readonly primaryTerm: number;
}

interface Held extends DocVersion {
  /** The stored watermark, which a commit may not lower. */
  readonly watermark: string | null;
}

/** A lease taken on a partition, with the state it found. */
export interface LeaseHandle {
  readonly partition: Partition;
  readonly owner: string;
  readonly ttlMs: number;
  /** As stored when the lease was taken. */
  readonly checkpoint: Checkpoint;
  /** As stored when the lease was taken; null for a partition never committed. */
  readonly correlation: CorrelationSnapshot | null;
}

export interface PartitionStateStoreOptions {
  /** Stored with every write, to tell which run last touched a partition. */
  readonly runId?: string;
  /** Clock for lease expiry, in epoch ms. Leases compare clocks across hosts: keep them in sync (NTP). */
  readonly now?: () => number;
  /** For messages; default: the client's nodes without credentials. */
  readonly endpoint?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface LoadedState {
  readonly checkpoint: Checkpoint;
  readonly correlation: CorrelationSnapshot | null;
  readonly lease: StoredLease;
  readonly updatedAt: string;
}

export class PartitionStateStore {
  readonly index: string;
  readonly #client: Client;
  readonly #endpoint: string;
  readonly #runId: string | undefined;
  readonly #now: () => number;
  /** Versions live here, not on the handle, so no caller can forge or rewind one. */
  readonly #held = new WeakMap<LeaseHandle, Held>();
  #lastStamp = 0;

  constructor(client: Client, namespace: string, options: PartitionStateStoreOptions = {}) {
    this.index = stateIndex(namespace);
    this.#client = client;
    this.#endpoint = options.endpoint ?? describeClient(client);
    this.#runId = options.runId;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes the partition's lease if it is free, expired or already this owner's, creating the
   * state document on first use. Null when another owner holds a live lease, or wins the race
   * for it right now.
   */
  async acquireLease(partition: Partition, owner: string, ttlMs: number): Promise<LeaseHandle | null> {
    const id = stateDocId(partition.id);
    const action = `taking the lease on partition ${partition.id}`;
    const current = await this.#read(id, partition.id);
    const now = this.#now();
    const write = this.#stamped(owner, now + ttlMs, now);
    if (current === null) {
      const { id: pid, account, region, org, prefix } = partition;
      const doc: StateDocument = { partition: { id: pid, account, region, org, prefix }, checkpoint: EMPTY_CHECKPOINT, correlation: null, ...write };
      const version = await this.#write(id, partition.id, write, action, () =>
        this.#client.create({ index: this.index, id, document: doc }, { maxRetries: 0 }),
      );
      return version && this.#handOut({ partition, owner, ttlMs, checkpoint: EMPTY_CHECKPOINT, correlation: null }, version);
    }
    const { lease } = current.state;
    if (lease.owner !== owner && Date.parse(lease.expiresAt) > now) return null;
    const version = await this.#update(id, partition.id, current.version, write, action);
    const { checkpoint, correlation } = current.state;
    return version && this.#handOut({ partition, owner, ttlMs, checkpoint, correlation }, version);
  }

  /** Extends the lease by its TTL. False when the lease was lost (someone else wrote since). */
  async renewLease(handle: LeaseHandle): Promise<boolean> {
    const held = this.#held.get(handle);
    if (!held) return false;
    const now = this.#now();
    const version = await this.#update(stateDocId(handle.partition.id), handle.partition.id, held, this.#stamped(handle.owner, now + handle.ttlMs, now), `renewing the lease on partition ${handle.partition.id}`);
    this.#keep(handle, version && { ...version, watermark: held.watermark });
    return version !== null;
  }

  /**
   * Saves checkpoint and correlation state together, and renews the lease. Throws a SinkError
   * `lease_lost` if another worker wrote since (nothing is saved), and refuses a checkpoint whose
   * watermark is below the stored one: progress only moves forward.
   */
  async commit(handle: LeaseHandle, state: { readonly checkpoint: Checkpoint; readonly correlation: CorrelationSnapshot }): Promise<void> {
    const partitionId = handle.partition.id;
    const held = this.#held.get(handle);
    if (!held) throw this.#leaseLost(partitionId);
    const { watermark } = state.checkpoint;
    if (held.watermark !== null && (watermark === null || compareKeys(watermark, held.watermark) < 0)) {
      throw new CtindexError('checkpoint_regression', `Refusing to move the checkpoint of partition ${partitionId} back from ${held.watermark} to ${watermark ?? 'nothing'}.`, {
        partition: partitionId,
      });
    }
    const now = this.#now();
    const write: StateWrite = {
      ...this.#stamped(handle.owner, now + handle.ttlMs, now),
      checkpoint: { watermark, done: [...state.checkpoint.done] },
      correlation: JSON.stringify(state.correlation),
    };
    const version = await this.#update(stateDocId(partitionId), partitionId, held, write, `committing the state of partition ${partitionId}`);
    this.#keep(handle, version && { ...version, watermark });
    if (!version) throw this.#leaseLost(partitionId);
  }

  /** Ends the lease now so another worker need not wait for it to expire. A lost lease is left alone. */
  async releaseLease(handle: LeaseHandle): Promise<void> {
    const held = this.#held.get(handle);
    if (!held) return;
    this.#held.delete(handle);
    const now = this.#now();
    await this.#update(stateDocId(handle.partition.id), handle.partition.id, held, this.#stamped(handle.owner, now, now), `releasing the lease on partition ${handle.partition.id}`);
  }

  #handOut(handle: LeaseHandle, version: DocVersion): LeaseHandle {
    this.#held.set(handle, { ...version, watermark: handle.checkpoint.watermark });
    return handle;
  }

  /** A lost lease forgets its version: the handle can never write again. */
  #keep(handle: LeaseHandle, held: Held | null): void {
    if (held) this.#held.set(handle, held);
    else this.#held.delete(handle);
  }

  #leaseLost(partitionId: string): SinkError {
    return new SinkError(
      'lease_lost',
      `Lost the lease on partition ${partitionId}: another worker has written its state since; this worker's progress since its last commit is not saved and will be redone.`,
      { partition: partitionId, index: this.index },
    );
  }

  /**
   * Lease and time stamp of a write. `updatedAt` strictly increases per store, so together with
   * the owner it identifies one write (see #write).
   */
  #stamped(owner: string, expiresAtMs: number, now: number): StateWrite {
    this.#lastStamp = Math.max(now, this.#lastStamp + 1);
    return {
      lease: { owner, expiresAt: new Date(expiresAtMs).toISOString() },
      updatedAt: new Date(this.#lastStamp).toISOString(),
      ...(this.#runId === undefined ? {} : { runId: this.#runId }),
    };
  }

  async #read(id: string, partitionId: string): Promise<{ state: LoadedState; version: DocVersion } | null> {
    let res;
    try {
      // Realtime GET: sees the latest write without a refresh.
      res = await whileShardsStart(() => this.#client.get<unknown>({ index: this.index, id }, { ignore: [404] }));
    } catch (err) {
      throw toSinkError(err, this.#endpoint, `reading the state of partition ${partitionId}`);
    }
    // A missing index answers 404 without `found`, like a missing document.
    if (res.found !== true) return null;
    return { state: this.#parse(res._source, partitionId), version: this.#version(res, partitionId) };
  }

  #update(id: string, partitionId: string, version: DocVersion, write: StateWrite, action: string): Promise<DocVersion | null> {
    return this.#write(id, partitionId, write, action, () =>
      this.#client.update({ index: this.index, id, if_seq_no: version.seqNo, if_primary_term: version.primaryTerm, doc: write }, { maxRetries: 0 }),
    );
  }

  /**
   * Runs one conditional write; null on a version conflict. The client's own retries are off:
   * a retry of a write that did land would conflict with itself and look like a lost lease. When
   * no answer comes, we read the document back instead: if it carries this write's owner and
   * stamp, the write landed.
   */
  async #write(
    id: string,
    partitionId: string,
    write: StateWrite,
    action: string,
    send: () => Promise<{ _seq_no?: number; _primary_term?: number }>,
  ): Promise<DocVersion | null> {
    try {
      return this.#version(await whileShardsStart(send), partitionId);
    } catch (err) {
      const outcome = failedCallOutcome(err);
      if (outcome === 409) return null;
      if (outcome === 'no-answer') {
        const current = await this.#read(id, partitionId).catch(() => null);
        if (current && current.state.lease.owner === write.lease.owner && current.state.updatedAt === write.updatedAt) return current.version;
      }
      throw toSinkError(err, this.#endpoint, action);
    }
  }

  #version(res: { _seq_no?: number; _primary_term?: number }, partitionId: string): DocVersion {
    if (res._seq_no === undefined || res._primary_term === undefined) {
      throw new SinkError('state_unversioned', `Elasticsearch at ${this.#endpoint} returned the state of partition ${partitionId} without _seq_no/_primary_term.`, {
        partition: partitionId,
      });
    }
    return { seqNo: res._seq_no, primaryTerm: res._primary_term };
  }

  /** Narrows the stored document; anything unexpected is a SinkError naming the field. */
  #parse(source: unknown, partitionId: string): LoadedState {
    const corrupt = (field: string): SinkError =>
      new SinkError('state_corrupt', `The state of partition ${partitionId} in ${this.index} is malformed (${field}); fix or delete that document.`, {
        partition: partitionId,
        index: this.index,
      });
    if (!isRecord(source)) throw corrupt('_source');
    const { checkpoint, correlation, lease, updatedAt } = source;
    if (!isRecord(checkpoint)) throw corrupt('checkpoint');
    const { watermark, done } = checkpoint;
    if (watermark !== null && typeof watermark !== 'string') throw corrupt('checkpoint.watermark');
    if (!Array.isArray(done) || !done.every((k): k is string => typeof k === 'string')) throw corrupt('checkpoint.done');
    if (!isRecord(lease) || typeof lease.owner !== 'string' || typeof lease.expiresAt !== 'string') throw corrupt('lease');
    if (typeof updatedAt !== 'string') throw corrupt('updatedAt');
    let snapshot: unknown = null;
    if (correlation !== null && correlation !== undefined) {
      if (typeof correlation !== 'string') throw corrupt('correlation');
      try {
        snapshot = JSON.parse(correlation);
      } catch {
        throw corrupt('correlation');
      }
      if (!isRecord(snapshot)) throw corrupt('correlation');
    }
    return {
      checkpoint: { watermark, done },
      // Boundary: the snapshot's inside belongs to the rule engine, which checks its own version.
      correlation: snapshot as CorrelationSnapshot | null,
      lease: { owner: lease.owner, expiresAt: lease.expiresAt },
      updatedAt,
    };
  }
}

const SHARD_RETRY = { attempts: 8, baseMs: 250, maxMs: 4000 };

/**
 * Retries a call Elasticsearch answered 503 (its shard is not started: a just-created index, a
 * recovery or relocation). A 503 means the request was not executed, so repeating it is safe even
 * for a conditional write. About 15 s in all, then the 503 stands.
 */
async function whileShardsStart<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= SHARD_RETRY.attempts || failedCallOutcome(err) !== 503) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, SHARD_RETRY)));
    }
  }
}
