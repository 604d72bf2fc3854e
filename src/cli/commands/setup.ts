// `ctindex setup`: installs or upgrades the index templates, the lifecycle and one namespace's data
// streams and indices (src/setup/setup.ts), then prints what it did. Safe to run again at any time.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../errors.js';
import { normaliseByteSize, parseDuration, type LifecycleChoice } from '../../setup/lifecycle.js';
import { namespaceTargets } from '../../setup/names.js';
import { setupElasticsearch, type SetupReport, type TargetAction } from '../../setup/setup.js';
import { parseEsConnection } from '../../config.js';
import { checkEsReachable, createEsClient, describeEsTarget } from '../../sink/es-client.js';
import { withEsOptions } from '../es-options.js';

const LIFECYCLES = ['auto', 'ilm', 'dsl', 'ctindex'] as const;

function builder(y: Argv) {
  return withEsOptions(y)
    .option('retention', { type: 'string', describe: 'Delete events older than this, e.g. 365d (default: as installed, else 365d)' })
    .option('rollover-size', { type: 'string', describe: 'Start a new backing index at this primary shard size, e.g. 50gb (default: as installed, else 50gb)' })
    .option('lifecycle', {
      choices: LIFECYCLES,
      default: 'auto' as const,
      describe: 'Who enforces rollover and retention: ILM, the data stream lifecycle, or ctindex itself on every run (auto: the first the cluster has)',
    });
}

const ACTION_TEXT: Record<TargetAction, string> = {
  created: 'created',
  deferred: 'created by the first write (this cluster has no create-data-stream API)',
  rolled_over: 'rolled over onto the new mappings',
  mapping_updated: 'mappings updated',
  lifecycle_updated: 'lifecycle attached',
};

const MODE_TEXT = { ilm: 'ILM policy "ctindex"', dsl: 'data stream lifecycle', ctindex: 'managed by ctindex on every sync' } as const;

function formatSetupReport(report: SetupReport, target: string, namespace: string): string {
  const { policy, status } = report.lifecycle;
  const lines = [
    `Elasticsearch ${report.esVersion ?? '(version unknown)'} at ${target}, namespace "${namespace}".`,
    `Lifecycle: ${MODE_TEXT[policy.mode]}: keep ${policy.retention}, roll over at ${policy.rolloverMaxPrimaryShardSize} or ${policy.rolloverMaxAge} (${status}).`,
    'Templates:',
    ...report.templates.map((t) => `  ${t.status.padEnd(9)} ${t.kind === 'component' ? 'component' : 'index    '} ${t.name} v${t.version}`),
    'Data streams and indices:',
    ...report.targets.map((t) => `  ${t.name} (${t.kind === 'data_stream' ? 'data stream' : 'index'}): ${t.actions.length === 0 ? 'up to date' : t.actions.map((a) => ACTION_TEXT[a]).join(', ')}`),
  ];
  if (report.managed) {
    const { rolledOver, deleted } = report.managed;
    lines.push(`Lifecycle pass: ${rolledOver.length === 0 ? 'no rollover' : `rolled over ${rolledOver.join(', ')}`}; ${deleted.length === 0 ? 'nothing past retention' : `deleted ${deleted.join(', ')}`}.`);
  }
  return `${lines.join('\n')}\n`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function handler(argv: ArgumentsCamelCase<Record<string, unknown>>): Promise<void> {
  const namespace = String(argv.namespace ?? 'default');
  const retention = optionalString(argv.retention);
  const rolloverSize = optionalString(argv.rolloverSize);
  const lifecycle = argv.lifecycle as LifecycleChoice;
  if (!LIFECYCLES.includes(lifecycle)) throw new ConfigError('invalid_lifecycle', `--lifecycle must be one of ${LIFECYCLES.join(', ')}.`);
  // Checked before connecting, so a typo fails fast as a configuration error.
  namespaceTargets(namespace);
  if (retention !== undefined) parseDuration(retention);
  if (rolloverSize !== undefined) normaliseByteSize(rolloverSize);

  const connection = parseEsConnection(argv);
  const target = describeEsTarget(connection);
  const es = createEsClient(connection);
  try {
    await checkEsReachable(es, target);
    const report = await setupElasticsearch(es, { namespace, retention, rolloverMaxPrimaryShardSize: rolloverSize, lifecycle });
    for (const warning of report.warnings) process.stderr.write(`ctindex: warning: ${warning}\n`);
    process.stdout.write(formatSetupReport(report, target, namespace));
  } finally {
    await es.close();
  }
}

export const setupCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'setup',
  describe: 'Install or upgrade the Elasticsearch templates, lifecycle, data streams and indices for a namespace',
  builder: builder as unknown as CommandModule<object, Record<string, unknown>>['builder'],
  handler,
};
