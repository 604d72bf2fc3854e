// `ctindex demo-data`: writes realistic, deterministic CloudTrail files to a directory or an S3
// bucket, so the whole pipeline (rules, dashboards, correlation) can be tried without an AWS trail.
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../errors.js';
import { createS3Client } from '../../source/s3-client.js';
import { ACCOUNT_ID, ORG_ID, REGION, normalizePrefix } from '../../source/trail-keys.js';
import { generateTrail, trailSpanMs, DELIVERY_INTERVAL_MS } from '../../demo-data/generate-trail.js';
import { directoryWriter, ensureBucket, s3Writer, writeTrail, type PutObject, type TrailWriteSummary } from '../../demo-data/write-trail.js';

interface DemoDataArgs {
  out: string;
  events: number;
  accounts: string;
  regions: string;
  seed: number;
  'org-id': string | undefined;
  start: string | undefined;
  's3-endpoint': string | undefined;
  'create-bucket': boolean | undefined;
}

/** Where to write: a directory, or a bucket and key prefix. */
export type DemoDataDestination = { readonly kind: 'directory'; readonly path: string } | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

export interface DemoDataOptions {
  readonly destination: DemoDataDestination;
  readonly events: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly seed: number;
  readonly orgId: string | undefined;
  /** Explicit start, or undefined for "ending now". */
  readonly start: Date | undefined;
  readonly s3Endpoint: string | undefined;
  readonly createBucket: boolean;
}

const DEFAULT_ACCOUNTS = '111122223333,444455556666';
const DEFAULT_REGIONS = 'us-east-1,eu-west-1';

export const demoDataCommand: CommandModule<object, DemoDataArgs> = {
  command: 'demo-data',
  describe: 'Write realistic, deterministic CloudTrail log files (gzip) to a directory or s3://bucket/prefix.',
  builder: (yargs: Argv<object>) =>
    yargs
      .option('out', { type: 'string', demandOption: true, describe: 'Directory, or s3://bucket/prefix' })
      .option('events', { type: 'number', default: 10_000, describe: 'Number of CloudTrail records to write' })
      .option('accounts', { type: 'string', default: DEFAULT_ACCOUNTS, describe: 'Comma-separated 12-digit account ids' })
      .option('regions', { type: 'string', default: DEFAULT_REGIONS, describe: 'Comma-separated regions; us-east-1 (or the first) logs global events' })
      .option('seed', { type: 'number', default: 1, describe: 'Same seed and flags, same bytes' })
      .option('org-id', { type: 'string', describe: 'Organization id (o-…): use the organization-trail layout' })
      .option('start', { type: 'string', describe: 'Earliest event time (ISO 8601); default: so that the data ends now' })
      .option('s3-endpoint', { type: 'string', describe: 'S3-compatible endpoint URL for an s3:// destination' })
      .option('create-bucket', {
        type: 'boolean',
        describe: 'Create the s3:// bucket if it does not exist (default: on with --s3-endpoint, off for AWS)',
      }),
  handler: async (argv) => {
    const summary = await runDemoData(demoDataOptions(argv), new Date());
    process.stdout.write(`${summary}\n`);
  },
};

/** Checks the flags and gathers every problem into one `ConfigError`. */
export function demoDataOptions(args: DemoDataArgs): DemoDataOptions {
  const problems: string[] = [];
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const accounts = list(args.accounts);
  const regions = list(args.regions);
  if (!Number.isSafeInteger(args.events) || args.events < 1) problems.push(`--events must be a positive integer (got ${args.events}).`);
  if (!Number.isSafeInteger(args.seed)) problems.push(`--seed must be an integer (got ${args.seed}).`);
  if (accounts.length === 0) problems.push('--accounts needs at least one account id.');
  for (const account of accounts) if (!ACCOUNT_ID.test(account)) problems.push(`--accounts: "${account}" is not a 12-digit account id.`);
  if (regions.length === 0) problems.push('--regions needs at least one region.');
  for (const region of regions) if (!REGION.test(region)) problems.push(`--regions: "${region}" is not a region name like us-east-1.`);
  const orgId = args['org-id'];
  if (orgId !== undefined && !ORG_ID.test(orgId)) problems.push(`--org-id: "${orgId}" is not an organization id like o-a1b2c3d4e5.`);
  const start = args.start === undefined ? undefined : new Date(args.start);
  if (start && Number.isNaN(start.getTime())) problems.push(`--start: "${args.start}" is not an ISO 8601 time.`);
  const destination = parseDestination(args.out, problems);
  if (args['s3-endpoint'] !== undefined && destination?.kind !== 's3') problems.push('--s3-endpoint applies only to an s3:// --out.');
  if (args['create-bucket'] && destination?.kind !== 's3') problems.push('--create-bucket applies only to an s3:// --out.');
  if (problems.length > 0 || !destination) throw new ConfigError('invalid_flags', problems.join(' '), { command: 'demo-data' });
  return {
    destination,
    events: args.events,
    accounts,
    regions,
    seed: args.seed,
    orgId,
    start,
    s3Endpoint: args['s3-endpoint'],
    // A local S3 server starts empty; on AWS, creating a bucket unasked would be a surprise.
    createBucket: args['create-bucket'] ?? args['s3-endpoint'] !== undefined,
  };
}

function parseDestination(out: string, problems: string[]): DemoDataDestination | undefined {
  if (!out.startsWith('s3://')) {
    if (out.trim() === '') problems.push('--out must name a directory or s3://bucket/prefix.');
    return { kind: 'directory', path: out };
  }
  const [bucket = '', ...rest] = out.slice('s3://'.length).split('/');
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (the common subset)
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`--out: "${bucket}" is not a valid S3 bucket name.`);
    return undefined;
  }
  return { kind: 's3', bucket, prefix: normalizePrefix(rest.join('/')) };
}

/** Generates and writes the files; returns the one-line summary. `now` sets the default start. */
export async function runDemoData(options: DemoDataOptions, now: Date): Promise<string> {
  const began = performance.now();
  const { destination } = options;
  const span = trailSpanMs(options.events, options.accounts.length * options.regions.length);
  const start = options.start ?? new Date(Math.floor((now.getTime() - span) / DELIVERY_INTERVAL_MS) * DELIVERY_INTERVAL_MS);
  let put: PutObject;
  let where: string;
  if (destination.kind === 's3') {
    const client = createS3Client(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {});
    if (options.createBucket) await ensureBucket(client, destination.bucket);
    put = s3Writer(client, destination.bucket);
    where = `s3://${destination.bucket}/${destination.prefix}${options.s3Endpoint ? ` at ${options.s3Endpoint}` : ''}`;
  } else {
    put = directoryWriter(destination.path);
    where = destination.path;
  }
  const files = generateTrail({
    seed: options.seed,
    events: options.events,
    accounts: options.accounts,
    regions: options.regions,
    start,
    ...(options.orgId ? { orgId: options.orgId } : {}),
    prefix: destination.kind === 's3' ? destination.prefix : '',
    ...(destination.kind === 's3' ? { bucket: destination.bucket } : {}),
  });
  const summary = await writeTrail(files, put);
  return summaryLine(summary, where, performance.now() - began);
}

function summaryLine(s: TrailWriteSummary, where: string, ms: number): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return (
    `Wrote ${s.logFiles + s.digestFiles} files (${s.logFiles} logs, ${s.digestFiles} digests) with ${s.events} events ` +
    `(${mb(s.jsonBytes)} JSON, ${mb(s.gzipBytes)} gzip) to ${where} in ${(ms / 1000).toFixed(1)} s.`
  );
}
