// `ctindex sync`: validates options into a SyncConfig, builds the stages' dependencies (S3 or a
// local directory, Elasticsearch sink and state, rules) and hands them to runSync. Nothing here
// decides how syncing works; it only wires.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULTS, parseSyncConfig, type SyncConfig } from '../../config.js';
import { ExitError } from '../../errors.js';
import { createLogger, type Logger } from '../../log.js';
import { shippedRulesDir } from '../../package-paths.js';
import { DiscardingSink, EphemeralStates, LoggedDeadLetters } from '../../pipeline/dry-run-ports.js';
import { newRunId, runSync } from '../../pipeline/run-sync.js';
import { loadRuleset } from '../../rules/load-rules.js';
import { applyManagedLifecycle, ensureSetup } from '../../setup/setup.js';
import { createEsClient, checkEsReachable, describeEsTarget } from '../../sink/es-client.js';
import { DeadLetterWriter, EsBulkSink } from '../../sink/es-bulk-sink.js';
import { createS3Client } from '../../source/s3-client.js';
import { LocalTrailSource } from '../../source/local-source.js';
import { S3TrailSource } from '../../source/s3-source.js';
import type { TrailSource } from '../../source/types.js';
import { PartitionStateStore } from '../../state/partition-state-store.js';
import { recordRun } from '../../state/runs-store.js';
import { withEsOptions } from '../es-options.js';
import { printSummary } from '../print-summary.js';
import { createProgress } from '../progress.js';

function builder(y: Argv) {
  return withEsOptions(y)
    .option('bucket', { type: 'string', describe: 'S3 bucket CloudTrail delivers to' })
    .option('prefix', { type: 'string', describe: 'Key prefix in front of AWSLogs/ (the trail\'s S3 prefix)', default: '' })
    .option('dir', { type: 'string', describe: 'A local directory with the same layout, instead of S3' })
    .option('s3-endpoint', { type: 'string', describe: 'S3-compatible endpoint (path-style), e.g. for MinIO or tests' })
    .option('region', { type: 'string', describe: 'AWS region of the bucket (default: from the AWS config)' })
    .option('profile', { type: 'string', describe: 'AWS shared-config profile' })
    .option('role-arn', { type: 'string', describe: 'Role to assume for reading the bucket (cross-account)' })
    .option('external-id', { type: 'string', describe: 'External id for --role-arn' })
    .option('accounts', { type: 'string', array: true, describe: 'Only these account ids (comma-separated or repeated)' })
    .option('regions', { type: 'string', array: true, describe: 'Only these regions' })
    .option('since', { type: 'string', describe: 'Start of the window (2026-11-01 or ISO time); default: today, or the checkpoint' })
    .option('until', { type: 'string', describe: 'End of the window (exclusive)' })
    .option('lookback-minutes', { type: 'number', describe: 'Re-list this far behind each checkpoint to catch late files', default: DEFAULTS.lookbackMinutes })
    .option('rules', { type: 'string', array: true, describe: 'Rule files or directories (default: the shipped rules/)' })
    .option('lists', { type: 'string', describe: 'Directory of CDB lists (etc/lists/ prefix stripped)' })
    .option('clock', { choices: ['event', 'processing'] as const, describe: 'Correlation clock', default: DEFAULTS.clock })
    .option('concurrency', { type: 'number', describe: 'Objects fetched and decompressed at once', default: DEFAULTS.concurrency })
    .option('max-in-flight-bytes', { type: 'number', describe: 'Compressed bytes of prefetched objects held at once', default: DEFAULTS.maxInFlightBytes })
    .option('max-record-bytes', { type: 'number', describe: 'Larger records are dead-lettered', default: DEFAULTS.maxRecordBytes })
    .option('flush-bytes', { type: 'number', describe: 'Bulk request size', default: DEFAULTS.flushBytes })
    .option('bulk-concurrency', { type: 'number', describe: 'Bulk requests in flight', default: DEFAULTS.bulkConcurrency })
    .option('lease-ttl-ms', { type: 'number', describe: 'Partition lease lifetime (renewed while working)', default: DEFAULTS.leaseTtlMs })
    .option('commit-every-files', { type: 'number', describe: 'Commit a partition\'s checkpoint after this many files', default: DEFAULTS.commitEveryFiles })
    .option('shard', { type: 'string', describe: 'i/N: sync only this shard\'s partitions (default from JOB_COMPLETION_INDEX + CTINDEX_SHARD_COUNT)' })
    .option('delete', { type: 'boolean', describe: 'Delete each object once all its documents are acknowledged', default: false })
    .option('output-file', { type: 'string', describe: 'Also write the tagged documents as ndjson to this file' })
    .option('dry-run', { type: 'boolean', describe: 'Read and tag, write nothing (needs no Elasticsearch)', default: false })
    .option('setup', { type: 'boolean', describe: 'Install/upgrade templates when missing or outdated (--no-setup refuses instead)', default: true });
}

function createSource(config: SyncConfig): TrailSource {
  if (config.source.kind === 'local') return new LocalTrailSource(config.source.dir);
  const { bucket, prefix, endpoint, region, profile, roleArn, externalId } = config.source;
  const client = createS3Client({ endpoint, region, profile, roleArn, externalId, forcePathStyle: endpoint !== undefined });
  return new S3TrailSource(client, { bucket, prefix });
}

function ndjsonWriter(path: string): { write: (doc: Record<string, unknown>) => Promise<void>; close: () => Promise<void> } {
  const out = createWriteStream(path, { flags: 'a' });
  return {
    async write(doc) {
      if (!out.write(`${JSON.stringify(doc)}\n`)) await once(out, 'drain');
    },
    close: () => new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve()))),
  };
}

async function handler(argv: ArgumentsCamelCase<Record<string, unknown>>): Promise<void> {
  const config = parseSyncConfig(argv, process.env);
  const human = process.stdout.isTTY === true;
  const log: Logger = createLogger({ level: String(argv.logLevel ?? 'info'), format: argv.logFormat as 'auto' | 'pretty' | 'json' | undefined });
  const ruleset = await loadRuleset({ rules: config.rules.length > 0 ? [...config.rules] : [shippedRulesDir], listsDir: config.lists });
  for (const w of ruleset.warnings) log.warn({ file: w.file, line: w.line, ruleId: w.ruleId }, w.message);
  const source = createSource(config);
  const ndjson = config.outputFile ? ndjsonWriter(config.outputFile) : undefined;
  const progress = createProgress(process.stderr.isTTY === true);

  const es = config.dryRun ? undefined : createEsClient(config.es);
  const runId = newRunId();
  const common = { source, ruleset, log, runId, writeNdjson: ndjson?.write, observe: progress.observe };
  const start = async (): Promise<Awaited<ReturnType<typeof runSync>>> => {
    if (!es) return runSync(config, { ...common, sink: new DiscardingSink(), deadLetters: new LoggedDeadLetters(log), states: new EphemeralStates() });
    await checkEsReachable(es, describeEsTarget(config.es));
    await ensureSetup(es, { namespace: config.namespace, install: config.setup });
    return runSync(config, {
      ...common,
      sink: new EsBulkSink(es, { flushBytes: config.flushBytes, concurrency: config.bulkConcurrency, deadLetterIndex: `ctindex-deadletter-${config.namespace}` }),
      deadLetters: new DeadLetterWriter(es, `ctindex-deadletter-${config.namespace}`),
      states: new PartitionStateStore(es, config.namespace, { runId }),
    });
  };

  let result;
  try {
    result = await start();
  } finally {
    progress.stop();
    await ndjson?.close();
  }
  const { summary } = result;
  if (es) {
    await recordRun(es, config.namespace, { ...summary });
    await applyManagedLifecycle(es, config.namespace);
    await es.close();
  }
  log.info({ summary }, 'Sync finished.');
  printSummary(summary, human);
  if (summary.exitCode !== 0) throw new ExitError(summary.exitCode);
}

export const syncCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'sync',
  describe: 'Read CloudTrail files from S3, tag them with the rules and index them into Elasticsearch',
  builder: builder as unknown as CommandModule<object, Record<string, unknown>>['builder'],
  handler,
};
