// Syncs one partition (account/region) under its lease: list inside the window, prefetch objects
// concurrently, read them in key order, tag each record, index it, and commit the checkpoint and
// the partition's correlation state together once every document of the committed objects is
// acknowledged. Correlation state is per partition, so pods that split partitions between them
// neither share nor race on it (README: "Scaling out").
import type { Logger } from 'pino';
import { DEFAULTS } from '../config.js';
import { CtindexError } from '../errors.js';
import { decodeCloudTrailRecord } from '../decoder/decode-cloudtrail.js';
import { toEcsDocument } from '../mapper/ecs-mapper.js';
import { readTrailRecords } from '../reader/trail-reader.js';
import type { RuleMatch, RuleSession, Ruleset } from '../rules/types.js';
import { keyAt, keyTime } from '../source/trail-keys.js';
import type { Partition, RecordOrigin, TrailObject, TrailSource } from '../source/types.js';
import { advanceCheckpoint } from '../state/checkpoint.js';
import type { ByteBudget } from './byte-budget.js';
import { FileTicket } from './file-ticket.js';
import { orderedPrefetch } from './ordered-prefetch.js';
import type { Checkpoint, DeadLetterSink, DocumentSink, LeaseHandle, PartitionStates } from './ports.js';
import type { RunStats } from './run-stats.js';

export interface PartitionContext<H extends LeaseHandle> {
  readonly source: TrailSource;
  readonly ruleset: Ruleset;
  readonly sink: DocumentSink;
  readonly deadLetters: DeadLetterSink;
  readonly states: PartitionStates<H>;
  /** Bounds every fetch across all partitions (p-limit). */
  readonly limitFetch: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly budget: ByteBudget;
  readonly stats: RunStats;
  readonly log: Logger;
  readonly owner: string;
  readonly index: string;
  readonly writeNdjson?: (doc: Record<string, unknown>) => Promise<void>;
  readonly options: {
    readonly clock: 'event' | 'processing';
    readonly since?: Date;
    readonly until?: Date;
    readonly lookbackMinutes: number;
    readonly concurrency: number;
    readonly maxRecordBytes: number;
    readonly leaseTtlMs: number;
    readonly commitEveryFiles: number;
    /** Deferred (order-sensitive) events held before a commit point is forced. */
    readonly maxDeferredEvents: number;
    readonly delete: boolean;
  };
}

/** Per-object fetch failures that no retry can fix (codes from source/s3-errors.ts). */
const PERMANENT_FETCH_ERRORS = new Set(['access_denied', 'object_not_found', 'object_too_large']);

/**
 * An order-sensitive event held back until the commit point, then evaluated in eventTime order.
 * Only its text and sort keys are kept (parsed and decoded again at the commit point): a parsed
 * record and its decoded fields cost several times the text, and a partition may hold thousands.
 */
interface Deferred {
  readonly text: string;
  readonly eventTimeMs: number | undefined;
  readonly eventId: string;
  readonly origin: RecordOrigin;
  readonly ticket: FileTicket;
}

type Emit = (record: Record<string, unknown>, text: string, match: RuleMatch | null, origin: RecordOrigin, ticket: FileTicket) => Promise<void>;

interface FetchedObject {
  readonly object: TrailObject;
  readonly bytes: Buffer | null;
  readonly error: unknown;
}

interface ObjectOutcome {
  readonly key: string;
  readonly ticket: FileTicket;
  /** False when the object could not be fetched: it stays un-done and is retried next run. */
  readonly fetched: boolean;
  /** A whole-object problem (corrupt gzip…): dead-lettered, counted done, never deleted. */
  readonly objectProblem: boolean;
  readonly object: TrailObject;
}

/** eventTime order, ties broken by eventID (rule-language.md §5; the determinism rule). */
function byEventTime(a: Deferred, b: Deferred): number {
  const ta = a.eventTimeMs ?? Number.MAX_SAFE_INTEGER;
  const tb = b.eventTimeMs ?? Number.MAX_SAFE_INTEGER;
  if (ta !== tb) return ta - tb;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return a.origin.key < b.origin.key ? -1 : a.origin.key > b.origin.key ? 1 : a.origin.recordIndex - b.origin.recordIndex;
}

/**
 * Where listing starts: after the --since key, or `lookback` before the checkpoint, whichever is
 * later. A partition with neither starts at the beginning of `now`'s UTC day, as Wazuh's
 * `only_logs_after` defaults to today: a first cron run must not walk years of history by accident.
 */
export function listingStart(partition: Partition, checkpoint: Checkpoint, since: Date | undefined, lookbackMinutes: number, now: Date): string {
  const candidates: string[] = [];
  if (since) candidates.push(keyAt(partition, since));
  else if (checkpoint.watermark === null) candidates.push(keyAt(partition, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))));
  if (checkpoint.watermark !== null) {
    const t = keyTime(checkpoint.watermark);
    if (t) candidates.push(keyAt(partition, new Date(t.getTime() - lookbackMinutes * 60_000)));
  }
  return candidates.sort().at(-1) as string;
}

export async function syncPartition<H extends LeaseHandle>(partition: Partition, ctx: PartitionContext<H>): Promise<void> {
  const { stats, log, options } = ctx;
  const lease = await ctx.states.acquireLease(partition, ctx.owner, options.leaseTtlMs);
  if (lease === null) {
    stats.partitionsBusy++;
    log.info({ partition: partition.id }, 'Partition is leased by another run; skipped.');
    return;
  }
  let leaseLost = false;
  // Renewals, commits and the release all write the state document conditionally on its last
  // seq_no, so they must never overlap: one would make the other look like a lost lease.
  let leaseQueue: Promise<unknown> = Promise.resolve();
  const onLease = <T>(op: () => Promise<T>): Promise<T> => {
    const next = leaseQueue.then(op, op);
    leaseQueue = next.catch(() => undefined);
    return next;
  };
  const renewal = setInterval(() => {
    onLease(() => ctx.states.renewLease(lease)).then(
      (ok) => (leaseLost ||= !ok),
      (err: unknown) => log.warn({ partition: partition.id, err: String(err) }, 'Lease renewal failed; will retry.'),
    );
  }, Math.max(1000, Math.floor(options.leaseTtlMs / 3)));
  renewal.unref();

  try {
    let checkpoint: Checkpoint = lease.checkpoint;
    const done = new Set(checkpoint.done);
    const session = ctx.ruleset.newSession({ clock: options.clock, state: lease.correlation ?? undefined });
    const startAfter = listingStart(partition, checkpoint, options.since, options.lookbackMinutes, new Date());
    const endBefore = options.until ? keyAt(partition, options.until) : undefined;

    /** Keys listed since the last commit point, in order; the watermark advances over them. */
    const listed: string[] = [];
    let pending: ObjectOutcome[] = [];
    let deferred: Deferred[] = [];

    const emit: Emit = async (record, text, match, origin, ticket) => {
      stats.matched(match);
      const { id, doc } = toEcsDocument(record, match, origin);
      if (ctx.writeNdjson) await ctx.writeNdjson(doc);
      // `raw` closes over the record's text, not the parsed record: the sink holds thousands of
      // these while bulk requests are in flight, and the text is a fraction of the object's size.
      await ctx.sink.write({ id, index: ctx.index, doc, origin, raw: () => text, ack: (o) => ticket.ack(o) });
    };

    const commitPoint = async (): Promise<void> => {
      // Order-sensitive events of the whole chunk, in eventTime order: the same files give the
      // same correlation results whatever the concurrency or listing order.
      const chunk = deferred.sort(byEventTime);
      deferred = [];
      for (const d of chunk) {
        const record = JSON.parse(d.text) as Record<string, unknown>;
        await emit(record, d.text, session.evaluate(decodeCloudTrailRecord(record, d.origin)), d.origin, d.ticket);
      }
      await ctx.sink.flush();
      await Promise.all(pending.map((p) => p.ticket.done));
      if (leaseLost) throw new Error(`lost the lease on partition ${partition.id}`);
      for (const p of pending) {
        stats.indexed += p.ticket.created;
        stats.duplicates += p.ticket.duplicates;
        stats.deadLettered += p.ticket.deadLettered;
        if (!p.fetched) continue;
        done.add(p.key);
        if (options.delete && !p.objectProblem) {
          await ctx.source.delete(p.object);
          stats.objectsDeleted++;
        }
      }
      checkpoint = advanceCheckpoint(checkpoint, listed, done, (watermark) => lookbackKey(partition, watermark, options.lookbackMinutes));
      const committed = checkpoint;
      await onLease(() => ctx.states.commit(lease, { checkpoint: committed, correlation: session.snapshot() }));
      // Keys at or below the watermark are done, except a late key that failed: it stays listed
      // so it keeps holding the watermark (advanceCheckpoint stops at the first key not done).
      // In place: the lister holds this array and keeps appending to it.
      const watermark = checkpoint.watermark;
      if (watermark !== null) {
        const kept = listed.filter((k) => k > watermark || !done.has(k));
        listed.length = 0;
        for (const k of kept) listed.push(k);
      }
      pending = [];
    };

    for await (const fetched of orderedPrefetch(listLogObjects(partition, ctx, { startAfter, endBefore }, done, listed), (o) => fetchObject(o, ctx), options.concurrency)) {
      const outcome = await readObject(fetched, session, ctx, emit, (d) => deferred.push(d));
      pending.push(outcome);
      if (pending.length >= options.commitEveryFiles || deferred.length >= options.maxDeferredEvents) await commitPoint();
    }
    await commitPoint();
    stats.partitionsSynced++;
  } finally {
    clearInterval(renewal);
    await onLease(() => ctx.states.releaseLease(lease)).catch((err: unknown) => log.warn({ partition: partition.id, err: String(err) }, 'Lease release failed; it expires on its own.'));
  }
}

function lookbackKey(partition: Partition, watermark: string, lookbackMinutes: number): string {
  const t = keyTime(watermark);
  return t ? keyAt(partition, new Date(t.getTime() - lookbackMinutes * 60_000)) : watermark;
}

/** The partition's log objects not yet done; records every listed key for the watermark. */
async function* listLogObjects<H extends LeaseHandle>(
  partition: Partition,
  ctx: PartitionContext<H>,
  window: { startAfter?: string; endBefore?: string },
  done: ReadonlySet<string>,
  listed: string[],
): AsyncGenerator<TrailObject> {
  for await (const entry of ctx.source.listObjects(partition, window)) {
    if (entry.kind === 'skipped') {
      ctx.stats.skipped(entry.skipped.reason);
      continue;
    }
    ctx.stats.objectsListed++;
    listed.push(entry.object.key);
    if (done.has(entry.object.key)) {
      ctx.stats.objectsAlreadyDone++;
      continue;
    }
    yield entry.object;
  }
}

/** Waits for budget (compressed bytes) and a fetch slot; a failed fetch is a value, not a throw. */
async function fetchObject<H extends LeaseHandle>(object: TrailObject, ctx: PartitionContext<H>): Promise<FetchedObject> {
  await ctx.budget.acquire(object.size);
  try {
    const bytes = await ctx.limitFetch(() => ctx.source.fetch(object));
    return { object, bytes, error: null };
  } catch (error) {
    ctx.budget.release(object.size);
    return { object, bytes: null, error };
  }
}

async function readObject<H extends LeaseHandle>(
  fetched: FetchedObject,
  session: RuleSession,
  ctx: PartitionContext<H>,
  emit: Emit,
  defer: (d: Deferred) => void,
): Promise<ObjectOutcome> {
  const { object } = fetched;
  const ticket = new FileTicket();
  if (fetched.bytes === null) {
    const code = fetched.error instanceof CtindexError ? fetched.error.code : 'fetch_failed';
    const message = fetched.error instanceof Error ? fetched.error.message : String(fetched.error);
    ctx.stats.objectsFailed++;
    ctx.stats.problem(code);
    ticket.seal();
    if (PERMANENT_FETCH_ERRORS.has(code)) {
      // Retrying cannot help (denied by policy or KMS, gone, too large): dead-letter the object and
      // move on, or it would hold the partition's checkpoint back forever.
      ctx.log.error({ key: object.key, bucket: object.bucket, code }, message);
      await ctx.deadLetters.deadLetter({ origin: { bucket: object.bucket, key: object.key, recordIndex: -1 }, code, message });
      return { key: object.key, ticket, fetched: true, objectProblem: true, object };
    }
    // Infrastructure trouble, not bad data: leave the object un-done so the next run retries it.
    ctx.log.error({ key: object.key, bucket: object.bucket, code }, `${message} It will be retried next run.`);
    return { key: object.key, ticket, fetched: false, objectProblem: false, object };
  }
  let objectProblem = false;
  try {
    ctx.stats.objectsRead++;
    ctx.stats.compressedBytes += object.size;
    const source = { bucket: object.bucket, key: object.key };
    for await (const r of readTrailRecords(fetched.bytes, source, { maxDecompressedBytes: DEFAULTS.maxDecompressedBytes, maxRecordBytes: ctx.options.maxRecordBytes })) {
      if (!r.ok) {
        objectProblem ||= r.problem.origin.recordIndex < 0;
        ctx.stats.problem(r.problem.code);
        ctx.log.warn({ key: object.key, recordIndex: r.problem.origin.recordIndex, code: r.problem.code }, r.problem.message);
        await ctx.deadLetters.deadLetter(r.problem);
        ctx.stats.deadLettered++;
        continue;
      }
      const origin: RecordOrigin = { bucket: object.bucket, key: object.key, recordIndex: r.recordIndex };
      const event = decodeCloudTrailRecord(r.record, source);
      ticket.add();
      if (ctx.ruleset.isOrderSensitive(event)) defer({ text: r.text, eventTimeMs: event.eventTimeMs, eventId: String(r.record.eventID ?? ''), origin, ticket });
      else await emit(r.record, r.text, session.evaluate(event), origin, ticket);
    }
  } finally {
    ctx.budget.release(object.size);
    ticket.seal();
  }
  return { key: object.key, ticket, fetched: true, objectProblem, object };
}
