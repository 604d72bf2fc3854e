// The S3 source against a real S3 API server (moto): delimiter discovery, windowed listing with
// StartAfter (checked by recording every ListObjectsV2 request and what S3 returned), skipping,
// fetch + read of generated files, delete, and the one-line errors for a missing bucket or endpoint.
import { CreateBucketCommand, PutObjectCommand, type ListObjectsV2CommandInput, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runDemoData, demoDataOptions } from '../../src/cli/commands/demo-data.js';
import { generateTrail } from '../../src/demo-data/generate-trail.js';
import { s3Writer, writeTrail } from '../../src/demo-data/write-trail.js';
import { SourceError } from '../../src/errors.js';
import { readTrailRecords } from '../../src/reader/trail-reader.js';
import { createS3Client } from '../../src/source/s3-client.js';
import { S3TrailSource } from '../../src/source/s3-source.js';
import { buildPartition, keyAt } from '../../src/source/trail-keys.js';
import type { ListedObject, Partition, PartitionFilter, TrailSource } from '../../src/source/types.js';

const s3Endpoint = inject('s3Endpoint');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const BUCKET = `ctindex-source-s3-${Date.now().toString(36)}`;
const ACCOUNT = '111122223333';
const ALL: PartitionFilter = { accounts: [], regions: [] };

interface ListCall {
  readonly prefix: string | undefined;
  readonly delimiter: string | undefined;
  readonly startAfter: string | undefined;
  readonly keys: readonly string[];
}

/** A client that records every ListObjectsV2 request and the keys S3 answered with. */
function recordingClient(): { client: S3Client; calls: ListCall[] } {
  const client = createS3Client({ endpoint: s3Endpoint, credentials: CREDENTIALS, maxAttempts: 2 });
  const calls: ListCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'ListObjectsV2Command') {
        // Middleware sees untyped input/output; these are the ListObjectsV2 shapes.
        const input = args.input as ListObjectsV2CommandInput;
        const output = result.output as ListObjectsV2CommandOutput;
        calls.push({ prefix: input.Prefix, delimiter: input.Delimiter, startAfter: input.StartAfter, keys: (output.Contents ?? []).flatMap((c) => (c.Key ? [c.Key] : [])) });
      }
      return result;
    },
    { step: 'initialize', name: 'recordListCalls' },
  );
  return { client, calls };
}

function logKey(root: string, partitionRoot: string, region: string, at: Date, account = ACCOUNT): string {
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return `${root}AWSLogs/${partitionRoot}CloudTrail/${region}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${account}_CloudTrail_${region}_${stamp}_AbCdEfGh12345678.json.gz`;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const keysOf = (items: readonly ListedObject[]) => items.map((i) => (i.kind === 'log' ? i.object.key : `skipped:${i.skipped.reason}`));

let setup: S3Client;
async function put(key: string, body: string | Buffer = '{}'): Promise<void> {
  await setup.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

beforeAll(async () => {
  setup = createS3Client({ endpoint: s3Endpoint, credentials: CREDENTIALS });
  await setup.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const day = new Date('2024-05-01T10:00:00Z');
  await put(logKey('', `${ACCOUNT}/`, 'us-east-1', day));
  await put(logKey('', `${ACCOUNT}/`, 'eu-west-1', day));
  await put(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/01/${ACCOUNT}_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T110000Z.json.gz`);
  await put(`AWSLogs/${ACCOUNT}/Config/ConfigWritabilityCheckFile`);
  await put(logKey('org-trail/', 'o-a1b2c3d4e5/444455556666/', 'ap-southeast-2', day, '444455556666'));
  await put(logKey('org-trail/', 'o-a1b2c3d4e5/777788889999/', 'us-east-1', day, '777788889999'));
  await put('org-trail/AWSLogs/o-a1b2c3d4e5/777788889999/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz');
});

describe('S3TrailSource.listPartitions', () => {
  it('discovers plain-layout partitions with delimiter listings only', async () => {
    const { client, calls } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET });
    expect((await collect(source.listPartitions(ALL))).map((p) => p.id)).toEqual([`${ACCOUNT}/eu-west-1`, `${ACCOUNT}/us-east-1`]);
    expect(calls.map((c) => [c.prefix, c.delimiter])).toEqual([
      ['AWSLogs/', '/'],
      [`AWSLogs/${ACCOUNT}/CloudTrail/`, '/'],
    ]);
    expect(source.description).toBe(`s3://${BUCKET}/`);
  });

  it('discovers organization-trail partitions under a custom prefix', async () => {
    const { client } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET, prefix: 'org-trail' });
    const partitions = await collect(source.listPartitions(ALL));
    expect(partitions).toEqual([
      buildPartition({ root: 'org-trail/', org: 'o-a1b2c3d4e5', account: '444455556666', region: 'ap-southeast-2' }),
      buildPartition({ root: 'org-trail/', org: 'o-a1b2c3d4e5', account: '777788889999', region: 'us-east-1' }),
    ]);
    expect(partitions[0]?.id).toBe('org-trail/o-a1b2c3d4e5/444455556666/ap-southeast-2');
  });

  it('builds filtered partitions from one top-level listing', async () => {
    const { client, calls } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET, prefix: 'org-trail/' });
    const ids = (await collect(source.listPartitions({ accounts: ['777788889999'], regions: ['us-east-1'] }))).map((p) => p.id);
    expect(ids).toEqual(['org-trail/o-a1b2c3d4e5/777788889999/us-east-1']);
    expect(calls).toHaveLength(1);
  });
});

describe('S3TrailSource.listObjects', () => {
  const region = 'sa-east-1';
  const partition = buildPartition({ root: 'windowed/', account: ACCOUNT, region });
  const first = Date.UTC(2024, 0, 28);
  // 10 days across a month end, a file every 2 hours: 120 keys.
  const times = Array.from({ length: 120 }, (_, i) => new Date(first + i * 2 * 3_600_000));
  const keys = times.map((t) => logKey('windowed/', `${ACCOUNT}/`, region, t));

  beforeAll(async () => {
    for (const key of keys) await put(key);
  });

  it('lists the whole partition in key order when no window is given', async () => {
    const { client } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET, pageSize: 50 });
    expect(keysOf(await collect(source.listObjects(partition, {})))).toEqual(keys);
  });

  it('lists only the window: StartAfter skips earlier days and listing stops at the end', async () => {
    const { client, calls } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET, pageSize: 5 });
    const from = new Date(Date.UTC(2024, 1, 1)); // day 5 of 10, across the month boundary
    const to = new Date(Date.UTC(2024, 1, 2));
    const window = { startAfter: keyAt(partition, from), endBefore: keyAt(partition, to) };
    const listed = keysOf(await collect(source.listObjects(partition, window)));
    const expected = keys.filter((_, i) => times[i]! >= from && times[i]! < to);
    expect(listed).toEqual(expected);
    expect(expected).toHaveLength(12);
    // S3 was asked from the window's start and returned nothing before it ...
    expect(calls[0]).toMatchObject({ prefix: partition.prefix, startAfter: window.startAfter });
    const returned = calls.flatMap((c) => c.keys);
    expect(returned.every((k) => k > window.startAfter)).toBe(true);
    // ... and listing stopped within one page past its end: 12 keys at 5 per page is 3 pages.
    expect(calls).toHaveLength(3);
    expect(returned.length).toBeLessThanOrEqual(expected.length + 5);
  });

  it('starts at the lookback key for "checkpoint minus lookback"', async () => {
    const { client } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET });
    const checkpoint = keys[100]!;
    const lookback = new Date(times[100]!.getTime() - 6 * 3_600_000);
    const listed = keysOf(await collect(source.listObjects(partition, { startAfter: keyAt(partition, lookback) })));
    expect(listed).toEqual(keys.slice(97));
    expect(listed).toContain(checkpoint);
  });
});

describe('S3TrailSource skipping, fetch and delete', () => {
  const partition = buildPartition({ root: 'mixed/', account: ACCOUNT, region: 'us-west-2' });

  it('yields digests, folder markers and stray objects inside a partition as skipped', async () => {
    const day = 'mixed/AWSLogs/111122223333/CloudTrail/us-west-2/2024/05/01/';
    await put(`${day}`, '');
    await put(`${day}${ACCOUNT}_CloudTrail_us-west-2_20240501T1000Z_AbCdEfGh12345678.json.gz`);
    await put(`${day}${ACCOUNT}_CloudTrail-Digest_us-west-2_t_us-west-2_20240501T110000Z.json.gz`);
    await put(`${day}notes.txt`);
    const { client } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET });
    expect(keysOf(await collect(source.listObjects(partition, {})))).toEqual([
      'skipped:not_a_log_file',
      'skipped:digest',
      `${day}${ACCOUNT}_CloudTrail_us-west-2_20240501T1000Z_AbCdEfGh12345678.json.gz`,
      'skipped:not_a_log_file',
    ]);
  });

  it('fetches and reads generated files, then deletes one', async () => {
    const { client } = recordingClient();
    const written = await writeTrail(
      generateTrail({ seed: 5, events: 2_000, accounts: [ACCOUNT], regions: ['us-east-1', 'eu-central-1'], start: new Date('2024-05-01T00:00:00Z'), prefix: 'demo/', bucket: BUCKET }),
      s3Writer(client, BUCKET),
    );
    const source = new S3TrailSource(client, { bucket: BUCKET, prefix: 'demo' });
    const partitions = await collect(source.listPartitions(ALL));
    expect(partitions.map((p) => p.id)).toEqual([`demo/${ACCOUNT}/eu-central-1`, `demo/${ACCOUNT}/us-east-1`]);
    const counts = await readAll(source, partitions);
    expect(counts).toEqual({ logs: written.logFiles, records: 2_000, problems: 0, skipped: 0 });

    const [victim] = (await collect(source.listObjects(partitions[0]!, {}))).flatMap((i) => (i.kind === 'log' ? [i.object] : []));
    if (!victim) throw new Error('no object to delete');
    await source.delete(victim);
    const after = keysOf(await collect(source.listObjects(partitions[0]!, {})));
    expect(after).not.toContain(victim.key);
    await expect(source.fetch(victim)).rejects.toMatchObject({ code: 'object_not_found' });
  });

  it('refuses an object over maxObjectBytes', async () => {
    const key = `${partition.prefix}2024/05/02/${ACCOUNT}_CloudTrail_us-west-2_20240502T1000Z_AbCdEfGh12345678.json.gz`;
    await put(key, Buffer.alloc(2_000, 1));
    const { client } = recordingClient();
    const source = new S3TrailSource(client, { bucket: BUCKET, maxObjectBytes: 1_000 });
    // The listed size is checked first; a stale size is caught while streaming the body.
    await expect(source.fetch({ bucket: BUCKET, key, size: 2_000, partition })).rejects.toMatchObject({ code: 'object_too_large' });
    await expect(source.fetch({ bucket: BUCKET, key, size: 10, partition })).rejects.toMatchObject({ code: 'object_too_large' });
  });
});

async function readAll(source: TrailSource, partitions: readonly Partition[]) {
  const counts = { logs: 0, records: 0, problems: 0, skipped: 0 };
  for (const partition of partitions) {
    for await (const listed of source.listObjects(partition, {})) {
      if (listed.kind === 'skipped') {
        counts.skipped++;
        continue;
      }
      counts.logs++;
      const bytes = await source.fetch(listed.object);
      for await (const r of readTrailRecords(bytes, listed.object, { maxDecompressedBytes: 1e8, maxRecordBytes: 1e6 })) {
        if (r.ok) counts.records++;
        else counts.problems++;
      }
    }
  }
  return counts;
}

describe('S3 failures', () => {
  it('names a missing bucket and the endpoint in one line', async () => {
    const source = new S3TrailSource(createS3Client({ endpoint: s3Endpoint, credentials: CREDENTIALS }), { bucket: 'ctindex-no-such-bucket' });
    const error = await collect(source.listPartitions(ALL)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      code: 'bucket_not_found',
      message: `S3 bucket "ctindex-no-such-bucket" does not exist at ${s3Endpoint}.`,
      context: { bucket: 'ctindex-no-such-bucket', endpoint: s3Endpoint, operation: 'ListObjectsV2' },
    });
  });

  it('names an unreachable endpoint in one line', async () => {
    const client = createS3Client({ endpoint: 'http://127.0.0.1:1', credentials: CREDENTIALS, maxAttempts: 1 });
    const source = new S3TrailSource(client, { bucket: BUCKET });
    const error = await collect(source.listPartitions(ALL)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'endpoint_unreachable',
      message: `Cannot reach the S3 endpoint http://127.0.0.1:1 for bucket "${BUCKET}" (ECONNREFUSED).`,
    });
  });
});

describe('ctindex demo-data to S3', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('creates the bucket and writes an organization trail that the source reads back', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    const bucket = `${BUCKET}-demo`;
    const options = demoDataOptions({
      out: `s3://${bucket}/cloudtrail`,
      events: 500,
      accounts: '111122223333',
      regions: 'us-east-1',
      seed: 2,
      'org-id': 'o-a1b2c3d4e5',
      start: '2024-05-01T00:00:00Z',
      's3-endpoint': s3Endpoint,
      'create-bucket': undefined, // on by default with --s3-endpoint
    });
    const line = await runDemoData(options, new Date());
    expect(line).toMatch(new RegExp(`with 500 events .* to s3://${bucket}/cloudtrail/ at ${s3Endpoint} in`));
    const source = new S3TrailSource(createS3Client({ endpoint: s3Endpoint, credentials: CREDENTIALS }), { bucket, prefix: 'cloudtrail/' });
    const partitions = await collect(source.listPartitions(ALL));
    expect(partitions.map((p) => p.id)).toEqual(['cloudtrail/o-a1b2c3d4e5/111122223333/us-east-1']);
    expect(await readAll(source, partitions)).toMatchObject({ records: 500, problems: 0 });
  });
});
