// Turns the options yargs merged from flags, CTINDEX_* environment variables and an optional JSON
// config file into one validated, frozen `SyncConfig`. Every problem is reported at once, naming
// the option; no stage reads process.env.
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { NAMESPACE_PATTERN } from './setup/names.js';
import type { EsConnectionOptions } from './sink/es-client.js';

const MiB = 1024 * 1024;

/** Defaults in one place; the README's configuration table lists the same values. */
export const DEFAULTS = {
  namespace: 'default',
  /** Objects fetched and decompressed at once. */
  concurrency: 16,
  /** Compressed bytes of prefetched objects held at once, across all partitions. */
  maxInFlightBytes: 64 * MiB,
  /** Largest decompressed object accepted: a gzip bomb guard far above real CloudTrail files. */
  maxDecompressedBytes: 1024 * MiB,
  /** Largest single record accepted; larger ones are dead-lettered. */
  maxRecordBytes: 8 * MiB,
  /** How far behind a partition's checkpoint listing restarts, to catch late deliveries. */
  lookbackMinutes: 120,
  flushBytes: 5 * MiB,
  bulkConcurrency: 4,
  leaseTtlMs: 5 * 60_000,
  /** A partition commits its checkpoint and correlation state after this many files. */
  commitEveryFiles: 500,
  clock: 'event' as const,
  retention: '365d',
  rolloverSize: '50gb',
} as const;

const csv = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)));

const isoDate = z
  .union([z.string(), z.date()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${String(v)} (use 2026-11-01 or an ISO time)` });
      return z.NEVER;
    }
    return d;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** ES connection options shared by every command that talks to Elasticsearch. */
const esOptionsSchema = z.object({
  esUrl: z.string().url().optional(),
  esCloudId: z.string().optional(),
  esApiKey: z.string().optional(),
  esUsername: z.string().optional(),
  esPassword: z.string().optional(),
  esCaFile: z.string().optional(),
});

const syncSchema = esOptionsSchema
  .extend({
    bucket: z.string().optional(),
    prefix: z.string().default(''),
    dir: z.string().optional(),
    s3Endpoint: z.string().url().optional(),
    region: z.string().optional(),
    profile: z.string().optional(),
    roleArn: z.string().optional(),
    externalId: z.string().optional(),
    accounts: csv,
    regions: csv,
    since: isoDate,
    until: isoDate,
    lookbackMinutes: z.coerce.number().int().min(0).default(DEFAULTS.lookbackMinutes),
    namespace: z.string().regex(NAMESPACE_PATTERN, 'lowercase letters, digits and _ only').default(DEFAULTS.namespace),
    rules: csv,
    lists: z.string().optional(),
    clock: z.enum(['event', 'processing']).default(DEFAULTS.clock),
    concurrency: positiveInt(DEFAULTS.concurrency),
    maxInFlightBytes: positiveInt(DEFAULTS.maxInFlightBytes),
    maxRecordBytes: positiveInt(DEFAULTS.maxRecordBytes),
    flushBytes: positiveInt(DEFAULTS.flushBytes),
    bulkConcurrency: positiveInt(DEFAULTS.bulkConcurrency),
    leaseTtlMs: positiveInt(DEFAULTS.leaseTtlMs),
    commitEveryFiles: positiveInt(DEFAULTS.commitEveryFiles),
    shard: z.string().regex(/^\d+\/\d+$/, 'use i/N, e.g. 0/4').optional(),
    delete: z.boolean().default(false),
    outputFile: z.string().optional(),
    dryRun: z.boolean().default(false),
    setup: z.boolean().default(true),
  })
  .superRefine((o, ctx) => {
    if (!o.bucket && !o.dir) ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'give --bucket (S3) or --dir (a local copy of the trail)' });
    if (o.bucket && o.dir) ctx.addIssue({ code: 'custom', path: ['dir'], message: '--bucket and --dir exclude each other' });
    if (o.since && o.until && o.since >= o.until) ctx.addIssue({ code: 'custom', path: ['until'], message: '--until must be after --since' });
    if (o.dryRun && o.delete) ctx.addIssue({ code: 'custom', path: ['delete'], message: '--delete makes no sense with --dry-run' });
    if (o.shard) {
      const [i, n] = o.shard.split('/').map(Number) as [number, number];
      if (n < 1 || i >= n) ctx.addIssue({ code: 'custom', path: ['shard'], message: `shard ${o.shard}: index must be below the count` });
    }
  });

type EsOptions = z.infer<typeof esOptionsSchema>;

function toEsConnection(o: EsOptions): EsConnectionOptions {
  return { url: o.esUrl, cloudId: o.esCloudId, apiKey: o.esApiKey, username: o.esUsername, password: o.esPassword, caFile: o.esCaFile };
}

/** The Elasticsearch connection of any command that takes the shared `--es-*` flags. */
export function parseEsConnection(raw: Record<string, unknown>): EsConnectionOptions {
  const parsed = esOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError('invalid_options', formatIssues(parsed.error.issues));
  return toEsConnection(parsed.data);
}

export type SourceConfig =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly endpoint?: string; readonly region?: string; readonly profile?: string; readonly roleArn?: string; readonly externalId?: string }
  | { readonly kind: 'local'; readonly dir: string };

export interface SyncConfig {
  readonly source: SourceConfig;
  readonly es: EsConnectionOptions;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly since?: Date;
  readonly until?: Date;
  readonly lookbackMinutes: number;
  readonly namespace: string;
  /** Rule files or directories; empty means the shipped `rules/`. */
  readonly rules: readonly string[];
  readonly lists?: string;
  readonly clock: 'event' | 'processing';
  readonly concurrency: number;
  readonly maxInFlightBytes: number;
  readonly maxRecordBytes: number;
  readonly flushBytes: number;
  readonly bulkConcurrency: number;
  readonly leaseTtlMs: number;
  readonly commitEveryFiles: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly delete: boolean;
  readonly outputFile?: string;
  readonly dryRun: boolean;
  /** Install or upgrade templates when missing or outdated (otherwise refuse to write). */
  readonly setup: boolean;
}

/** Formats zod issues as one line per option, using the flag names people typed. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => {
      const key = i.path.map(String).join('.');
      const flag = key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
      return `${flag}: ${i.message}`;
    })
    .join('\n');
}

/**
 * Shard from `--shard i/N`, else from a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with the
 * completions count passed as `CTINDEX_SHARD_COUNT`), else the single shard 0/1.
 */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv): { index: number; count: number } {
  if (flag) {
    const [index, count] = flag.split('/').map(Number) as [number, number];
    return { index, count };
  }
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.CTINDEX_SHARD_COUNT;
  if (index !== undefined && count !== undefined) {
    const i = Number(index);
    const n = Number(count);
    if (Number.isInteger(i) && Number.isInteger(n) && n > 0 && i >= 0 && i < n) return { index: i, count: n };
    throw new ConfigError('bad_shard', `JOB_COMPLETION_INDEX=${index} with CTINDEX_SHARD_COUNT=${count} is not a valid shard`);
  }
  return { index: 0, count: 1 };
}

export function parseSyncConfig(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): SyncConfig {
  const parsed = syncSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError('invalid_options', formatIssues(parsed.error.issues));
  const o = parsed.data;
  const source: SourceConfig = o.bucket
    ? { kind: 's3', bucket: o.bucket, prefix: normalisePrefix(o.prefix), endpoint: o.s3Endpoint, region: o.region, profile: o.profile, roleArn: o.roleArn, externalId: o.externalId }
    : { kind: 'local', dir: o.dir as string };
  return Object.freeze({
    source,
    es: toEsConnection(o),
    accounts: o.accounts,
    regions: o.regions,
    since: o.since,
    until: o.until,
    lookbackMinutes: o.lookbackMinutes,
    namespace: o.namespace,
    rules: o.rules,
    lists: o.lists,
    clock: o.clock,
    concurrency: o.concurrency,
    maxInFlightBytes: o.maxInFlightBytes,
    maxRecordBytes: o.maxRecordBytes,
    flushBytes: o.flushBytes,
    bulkConcurrency: o.bulkConcurrency,
    leaseTtlMs: o.leaseTtlMs,
    commitEveryFiles: o.commitEveryFiles,
    shard: resolveShard(o.shard, env),
    delete: o.delete,
    outputFile: o.outputFile,
    dryRun: o.dryRun,
    setup: o.setup,
  });
}

/** `logs` → `logs/`, `/` or empty → `` (keys never start with a slash in S3). */
function normalisePrefix(prefix: string): string {
  const p = prefix.replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}
