// Retention and rollover of the ctindex data streams, in whichever way the cluster supports: ILM
// when it has it, else the data stream lifecycle (DSL), else ctindex itself rolls over and deletes
// old backing indices on every run (clusters with neither, such as the integ-test distribution).
// The request bodies are pure functions; the choice is stored in the index templates' `_meta`.
import type { Client } from '@elastic/elasticsearch';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from '../errors.js';
import { describeClient, toSinkError } from '../sink/es-client.js';
import { esRequest, isMissingApi, seg, statusOf, type Json } from './es-request.js';
import { namespaceTargets } from './names.js';

export type LifecycleMode = 'ilm' | 'dsl' | 'ctindex';
export type LifecycleChoice = LifecycleMode | 'auto';

/** What `--retention` and `--rollover-size` configure; rollover age follows from the retention. */
export interface ManagedPolicy {
  /** Elasticsearch duration, e.g. `365d`. */
  readonly retention: string;
  /** Elasticsearch byte size, e.g. `50gb`. */
  readonly rolloverMaxPrimaryShardSize: string;
  readonly rolloverMaxAge: string;
}

export interface LifecyclePolicy extends ManagedPolicy {
  readonly mode: LifecycleMode;
}

export const DEFAULT_RETENTION = '365d';
/** Elastic's recommended primary shard size ceiling, and the DSL default. */
export const DEFAULT_ROLLOVER_SIZE = '50gb';
export const ILM_POLICY_NAME = 'ctindex';
/** `cluster.lifecycle.default.rollover` when nobody set it (data stream lifecycle docs). */
export const DSL_DEFAULT_ROLLOVER = 'max_age=auto,max_primary_shard_size=50gb,min_docs=1,max_primary_shard_docs=200000000';

const DURATION = /^(\d+)(d|h|m|s|ms)$/;
const DURATION_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const BYTE_SIZE = /^(\d+)(b|kb|mb|gb|tb|pb)$/;

/** `365d` → milliseconds; the Elasticsearch time units ctindex accepts (d, h, m, s, ms). */
export function parseDuration(text: string, flag = '--retention'): number {
  const m = DURATION.exec(text.trim().toLowerCase());
  const ms = m ? Number(m[1]) * DURATION_MS[m[2]!]! : 0;
  if (!(ms > 0)) throw new ConfigError('invalid_duration', `${flag} must be a positive duration such as 365d, 12h or 30m (got "${text}").`);
  return ms;
}

/** Validates and normalises a byte size (`50GB` → `50gb`). */
export function normaliseByteSize(text: string, flag = '--rollover-size'): string {
  const normalised = text.trim().toLowerCase();
  const m = BYTE_SIZE.exec(normalised);
  if (!m || Number(m[1]) <= 0) throw new ConfigError('invalid_byte_size', `${flag} must be a positive size such as 50gb or 500mb (got "${text}").`);
  return normalised;
}

/**
 * Rollover age for a retention, modelled on the data stream lifecycle's `max_age=auto`: an index
 * is deleted only once its newest document is past retention, so indices must be much younger
 * than the retention for deletion to follow it closely.
 */
export function rolloverMaxAgeFor(retention: string): string {
  const days = parseDuration(retention) / DURATION_MS.d!;
  if (days >= 90) return '30d';
  if (days >= 14) return '7d';
  if (days >= 3) return '1d';
  return '1h';
}

export function lifecyclePolicy(mode: LifecycleMode, options: { retention?: string; rolloverMaxPrimaryShardSize?: string } = {}): LifecyclePolicy {
  const retention = (options.retention ?? DEFAULT_RETENTION).trim().toLowerCase();
  return {
    mode,
    retention,
    rolloverMaxPrimaryShardSize: normaliseByteSize(options.rolloverMaxPrimaryShardSize ?? DEFAULT_ROLLOVER_SIZE),
    rolloverMaxAge: rolloverMaxAgeFor(retention),
  };
}

/** The `_meta.lifecycle` stored in the data stream templates: what ensureSetup and sync read back. */
export function lifecycleMeta(policy: LifecyclePolicy): Json {
  return {
    mode: policy.mode,
    retention: policy.retention,
    rollover_max_primary_shard_size: policy.rolloverMaxPrimaryShardSize,
    rollover_max_age: policy.rolloverMaxAge,
  };
}

export function lifecycleFromMeta(meta: unknown): LifecyclePolicy | undefined {
  const m = typeof meta === 'object' && meta !== null ? (meta as Json) : undefined;
  const { mode, retention, rollover_max_primary_shard_size: size } = m ?? {};
  if ((mode !== 'ilm' && mode !== 'dsl' && mode !== 'ctindex') || typeof retention !== 'string' || typeof size !== 'string') return undefined;
  try {
    return lifecyclePolicy(mode, { retention, rolloverMaxPrimaryShardSize: size });
  } catch {
    return undefined;
  }
}

/**
 * `PUT _ilm/policy/ctindex` body: hot phase rolls over by primary shard size or age, delete phase
 * removes an index `retention` after its rollover (ILM's min_age counts from rollover), so data
 * lives between `retention` and `retention + max_age`.
 */
export function ilmPolicyRequest(policy: LifecyclePolicy): Json {
  return {
    policy: {
      _meta: { managed_by: 'ctindex', ...lifecycleMeta(policy) },
      phases: {
        hot: { min_age: '0ms', actions: { rollover: { max_primary_shard_size: policy.rolloverMaxPrimaryShardSize, max_age: policy.rolloverMaxAge } } },
        delete: { min_age: policy.retention, actions: { delete: {} } },
      },
    },
  };
}

/** `lifecycle` of a data stream template, and body of `PUT _data_stream/<name>/_lifecycle`. */
export function dslLifecycle(policy: LifecyclePolicy): Json {
  return { data_retention: policy.retention };
}

/**
 * `cluster.lifecycle.default.rollover` for the wanted shard size. The data stream lifecycle has no
 * per-stream rollover size: this setting is cluster-wide and applies to every DSL-managed stream.
 */
export function dslClusterRollover(policy: LifecyclePolicy): string {
  return `max_age=auto,max_primary_shard_size=${policy.rolloverMaxPrimaryShardSize},min_docs=1,max_primary_shard_docs=200000000`;
}

/** A data stream index template with the lifecycle wired in, and recorded in `_meta.lifecycle`. */
export function withLifecycle(body: Json, policy: LifecyclePolicy): Json {
  const template = { ...(body.template as Json | undefined) };
  if (policy.mode === 'ilm') template.settings = { ...(template.settings as Json | undefined), 'index.lifecycle.name': ILM_POLICY_NAME };
  if (policy.mode === 'dsl') template.lifecycle = dslLifecycle(policy);
  return { ...body, template, _meta: { ...(body._meta as Json | undefined), lifecycle: lifecycleMeta(policy) } };
}

export interface LifecycleSupport {
  readonly ilm: boolean;
  readonly dsl: boolean;
}

async function answers(es: Client, path: string): Promise<boolean> {
  try {
    await esRequest(es, 'GET', path);
    return true;
  } catch (error) {
    if (isMissingApi(error)) return false;
    throw error;
  }
}

/** Probes `GET _ilm/status` and `GET _lifecycle/stats` (8.12+); absent modules answer "no handler". */
export async function detectLifecycleSupport(es: Client): Promise<LifecycleSupport> {
  const [ilm, dsl] = await Promise.all([answers(es, '/_ilm/status'), answers(es, '/_lifecycle/stats')]);
  return { ilm, dsl };
}

/** `auto` keeps an installed mode the cluster still supports, else prefers ILM, then DSL, then ctindex. */
export function chooseLifecycleMode(choice: LifecycleChoice, support: LifecycleSupport, installed?: LifecycleMode): LifecycleMode {
  const supported = (mode: LifecycleMode): boolean => mode === 'ctindex' || support[mode];
  if (choice !== 'auto') {
    if (!supported(choice)) {
      const name = choice === 'ilm' ? 'Index lifecycle management (ILM)' : 'The data stream lifecycle';
      throw new ConfigError('lifecycle_unavailable', `${name} is not available on this cluster; use --lifecycle auto or ctindex.`);
    }
    return choice;
  }
  if (installed !== undefined && supported(installed)) return installed;
  if (support.ilm) return 'ilm';
  if (support.dsl) return 'dsl';
  return 'ctindex';
}

/** The lifecycle recorded in the installed events template, if ctindex installed one. */
export async function readInstalledLifecycle(es: Client): Promise<LifecyclePolicy | undefined> {
  try {
    const res = await esRequest<{ index_templates?: { index_template?: { _meta?: Json } }[] }>(es, 'GET', '/_index_template/ctindex-cloudtrail');
    return lifecycleFromMeta(res.index_templates?.[0]?.index_template?._meta?.lifecycle);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export interface ManagedLifecycleReport {
  /** The lifecycle in force; only `ctindex` makes this function do anything. */
  readonly mode: LifecycleMode | undefined;
  /** `<old backing index> → <new backing index>` for each rollover done. */
  readonly rolledOver: readonly string[];
  /** Backing indices deleted because their newest `@timestamp` is past retention. */
  readonly deleted: readonly string[];
}

interface ResolveAnswer {
  readonly data_streams?: readonly { readonly name: string; readonly backing_indices: readonly string[] }[];
  readonly indices?: readonly { readonly name: string }[];
}

/** Backing indices of a data stream, oldest first (the last one is the write index), or none. */
export async function backingIndices(es: Client, dataStream: string): Promise<readonly string[]> {
  const res = await esRequest<ResolveAnswer>(es, 'GET', `/_resolve/index/${seg(dataStream)}`, { querystring: { expand_wildcards: 'all', ignore_unavailable: true } });
  return res.data_streams?.find((d) => d.name === dataStream)?.backing_indices ?? [];
}

interface SearchAnswer {
  readonly aggregations?: { readonly by_index?: { readonly buckets?: readonly { key: string; newest?: { value: number | null } }[] } };
}

/** Deletes at most this many indices per request, keeping the URL short. */
const DELETE_BATCH = 20;

async function manageDataStream(es: Client, dataStream: string, policy: ManagedPolicy, now: number, rolledOver: string[], deleted: string[]): Promise<void> {
  const indices = await backingIndices(es, dataStream);
  if (indices.length === 0) return;
  // min_docs: 1 keeps an empty write index from rolling over again and again.
  const rollover = await esRequest<{ rolled_over: boolean; old_index: string; new_index: string }>(es, 'POST', `/${seg(dataStream)}/_rollover`, {
    body: { conditions: { max_age: policy.rolloverMaxAge, max_primary_shard_size: policy.rolloverMaxPrimaryShardSize, min_docs: 1 } },
  });
  if (rollover.rolled_over) rolledOver.push(`${rollover.old_index} → ${rollover.new_index}`);
  // The write index is never a candidate: after a rollover the old one no longer is the write index.
  const candidates = rollover.rolled_over ? indices : indices.slice(0, -1);
  if (candidates.length === 0) return;
  // Retention is by event time: an index goes once its newest event is older than the retention.
  // Refresh first so that documents written just before a rollover are counted.
  await esRequest(es, 'POST', `/${seg(dataStream)}/_refresh`);
  const answer = await esRequest<SearchAnswer>(es, 'POST', `/${seg(dataStream)}/_search`, {
    body: {
      size: 0,
      query: { terms: { _index: candidates } },
      aggs: { by_index: { terms: { field: '_index', size: candidates.length }, aggs: { newest: { max: { field: '@timestamp' } } } } },
    },
  });
  const newest = new Map((answer.aggregations?.by_index?.buckets ?? []).map((b) => [b.key, b.newest?.value ?? null]));
  const cutoff = now - parseDuration(policy.retention);
  // An index without documents (no bucket) holds nothing to keep.
  const expired = candidates.filter((index) => {
    const t = newest.get(index);
    return t === undefined || t === null || t < cutoff;
  });
  for (let i = 0; i < expired.length; i += DELETE_BATCH) {
    const batch = expired.slice(i, i + DELETE_BATCH);
    await esRequest(es, 'DELETE', `/${batch.map(seg).join(',')}`);
    deleted.push(...batch);
  }
}

/**
 * The ctindex-managed lifecycle for one namespace's data streams (events and dead letters): roll
 * over when the write index reaches the size or age, then delete every non-write backing index
 * whose newest `@timestamp` is older than the retention. `setup` and every `sync` call it.
 *
 * Without `policy`, the lifecycle recorded by `ctindex setup` is used, and nothing happens unless
 * its mode is `ctindex` (ILM and DSL manage themselves).
 */
export async function applyManagedLifecycle(es: Client, namespace: string, policy?: ManagedPolicy, options: { now?: number } = {}): Promise<ManagedLifecycleReport> {
  const targets = namespaceTargets(namespace);
  const rolledOver: string[] = [];
  const deleted: string[] = [];
  let current = targets.events;
  try {
    const installed = policy === undefined ? await readInstalledLifecycle(es) : undefined;
    const effective = policy ?? (installed?.mode === 'ctindex' ? installed : undefined);
    if (effective === undefined) return { mode: installed?.mode, rolledOver, deleted };
    for (const dataStream of [targets.events, targets.deadLetters]) {
      current = dataStream;
      await manageDataStream(es, dataStream, effective, options.now ?? Date.now(), rolledOver, deleted);
    }
    return { mode: 'ctindex', rolledOver, deleted };
  } catch (error) {
    throw toSinkError(error, describeClient(es), `applying the ctindex lifecycle (rollover, retention) to ${current}`);
  }
}

/** True when an installed ILM policy already has this content (compared by its `_meta`, which Elasticsearch echoes verbatim). */
export function ilmPolicyMatches(installed: unknown, policy: LifecyclePolicy): boolean {
  const meta = (installed as { policy?: { _meta?: unknown } } | undefined)?.policy?._meta;
  return isDeepStrictEqual(meta, (ilmPolicyRequest(policy).policy as Json)._meta);
}
