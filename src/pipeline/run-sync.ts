// Wires one sync run: list partitions (this shard's only), sync them concurrently under a shared
// fetch limit and byte budget, and sum up. Stage failures that concern one object are values
// counted in RunStats; failures of Elasticsearch or S3 themselves end the run with one clear line.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { SyncConfig } from '../config.js';
import { CtindexError, SinkError, SourceError } from '../errors.js';
import type { Ruleset } from '../rules/types.js';
import type { Partition, TrailSource } from '../source/types.js';
import { ByteBudget } from './byte-budget.js';
import type { DeadLetterSink, DocumentSink, LeaseHandle, PartitionStates } from './ports.js';
import { RunStats, type RunSummary } from './run-stats.js';
import { ownsPartition } from './shard.js';
import { syncPartition } from './sync-partition.js';

/** The part of the validated configuration a run needs (sources and clients come as deps). */
export type SyncRunOptions = Pick<
  SyncConfig,
  | 'namespace' | 'accounts' | 'regions' | 'since' | 'until' | 'lookbackMinutes' | 'clock' | 'concurrency'
  | 'maxInFlightBytes' | 'maxRecordBytes' | 'leaseTtlMs' | 'commitEveryFiles' | 'shard' | 'delete' | 'dryRun'
>;

export interface SyncDeps<H extends LeaseHandle> {
  readonly source: TrailSource;
  readonly ruleset: Ruleset;
  readonly sink: DocumentSink;
  readonly deadLetters: DeadLetterSink;
  readonly states: PartitionStates<H>;
  readonly log: Logger;
  readonly writeNdjson?: (doc: Record<string, unknown>) => Promise<void>;
  /** Receives the live counters once, at the start, so a progress display can poll them. */
  readonly observe?: (stats: RunStats) => void;
  readonly runId?: string;
}

/**
 * Partitions worked at once. Each holds a lease, a correlation session, a prefetch window and its
 * deferred events, so this bounds that memory; the shared fetch limit and byte budget pace the I/O.
 */
const MAX_PARTITIONS_IN_PARALLEL = 8;

/**
 * Deferred order-sensitive events held per partition before a commit point is forced: at most
 * partitions-in-parallel × 2,000 record texts (~25 MB) even when every event is order-sensitive.
 */
const MAX_DEFERRED_EVENTS = 2_000;

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z-${randomBytes(4).toString('hex')}`;
}

export function eventsIndex(namespace: string): string {
  return `ctindex-cloudtrail-${namespace}`;
}

export async function runSync<H extends LeaseHandle>(options: SyncRunOptions, deps: SyncDeps<H>): Promise<{ stats: RunStats; summary: RunSummary }> {
  const runId = deps.runId ?? newRunId();
  const stats = new RunStats(runId, Date.now, (id) => deps.ruleset.ruleDescription(id));
  deps.observe?.(stats);
  const log = deps.log.child({ runId });
  const partitions: Partition[] = [];
  for await (const p of deps.source.listPartitions({ accounts: options.accounts, regions: options.regions })) {
    if (ownsPartition(p.id, options.shard)) partitions.push(p);
  }
  stats.partitionsListed = partitions.length;
  log.info({ partitions: partitions.length, shard: `${options.shard.index}/${options.shard.count}`, source: deps.source.description }, 'Sync started.');

  const limitFetch = pLimit(options.concurrency);
  const limitPartitions = pLimit(Math.max(1, Math.min(options.concurrency, MAX_PARTITIONS_IN_PARALLEL)));
  const ctx = {
    source: deps.source,
    ruleset: deps.ruleset,
    sink: deps.sink,
    deadLetters: deps.deadLetters,
    states: deps.states,
    limitFetch: <T>(fn: () => Promise<T>) => limitFetch(fn),
    budget: new ByteBudget(options.maxInFlightBytes),
    stats,
    log,
    owner: `${hostname()}:${process.pid}:${runId}`,
    index: eventsIndex(options.namespace),
    writeNdjson: deps.writeNdjson,
    options: { ...options, maxDeferredEvents: MAX_DEFERRED_EVENTS },
  };
  const results = await Promise.allSettled(
    partitions.map((p) => limitPartitions(() => syncPartition(p, ctx))),
  );
  let fatal: CtindexError | undefined;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    const err: unknown = r.reason;
    if (err instanceof SinkError || err instanceof SourceError) fatal ??= err;
    stats.problem(err instanceof CtindexError ? err.code : 'partition_failed');
    log.error({ partition: partitions[i]?.id, err: err instanceof Error ? err.message : String(err) }, 'Partition sync failed; its checkpoint stays where it was.');
  });
  // Elasticsearch or S3 being down is not a per-object problem: say so in one line and stop.
  if (fatal) throw fatal;
  const exitCode = stats.hadProblems ? 1 : 0;
  const summary = stats.summary({
    source: deps.source.description,
    namespace: options.namespace,
    shard: `${options.shard.index}/${options.shard.count}`,
    dryRun: options.dryRun,
    exitCode,
  });
  return { stats, summary };
}
