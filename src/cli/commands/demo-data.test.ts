import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { demoDataOptions, runDemoData } from './demo-data.js';

const ARGS = {
  out: '/tmp/demo',
  events: 100,
  accounts: '111122223333,444455556666',
  regions: 'us-east-1,eu-west-1',
  seed: 1,
  'org-id': undefined,
  start: undefined,
  's3-endpoint': undefined,
  'create-bucket': undefined,
};

describe('demoDataOptions', () => {
  it('turns flags into options', () => {
    expect(demoDataOptions({ ...ARGS, out: 's3://trail-bucket/some/prefix', 's3-endpoint': 'http://127.0.0.1:5000', 'org-id': 'o-a1b2c3d4e5', start: '2024-05-01T00:00:00Z' })).toEqual({
      destination: { kind: 's3', bucket: 'trail-bucket', prefix: 'some/prefix/' },
      events: 100,
      accounts: ['111122223333', '444455556666'],
      regions: ['us-east-1', 'eu-west-1'],
      seed: 1,
      orgId: 'o-a1b2c3d4e5',
      start: new Date('2024-05-01T00:00:00Z'),
      s3Endpoint: 'http://127.0.0.1:5000',
      createBucket: true,
    });
    expect(demoDataOptions(ARGS).destination).toEqual({ kind: 'directory', path: '/tmp/demo' });
  });

  it('creates a missing bucket by default only on a custom endpoint', () => {
    const s3 = { ...ARGS, out: 's3://trail-bucket' };
    expect(demoDataOptions(s3).createBucket).toBe(false);
    expect(demoDataOptions({ ...s3, 's3-endpoint': 'http://127.0.0.1:5000' }).createBucket).toBe(true);
    expect(demoDataOptions({ ...s3, 's3-endpoint': 'http://127.0.0.1:5000', 'create-bucket': false }).createBucket).toBe(false);
  });

  it('reports every bad flag at once', () => {
    const bad = { ...ARGS, events: 0, accounts: '123,111122223333', regions: 'US_EAST', 'org-id': 'org-1', start: 'yesterday', 's3-endpoint': 'http://x' };
    expect(() => demoDataOptions(bad)).toThrow(ConfigError);
    expect(() => demoDataOptions(bad)).toThrow(
      '--events must be a positive integer (got 0). --accounts: "123" is not a 12-digit account id. --regions: "US_EAST" is not a region name like us-east-1. ' +
        '--org-id: "org-1" is not an organization id like o-a1b2c3d4e5. --start: "yesterday" is not an ISO 8601 time. --s3-endpoint applies only to an s3:// --out.',
    );
    expect(() => demoDataOptions({ ...ARGS, out: 's3://Bad_Bucket' })).toThrow('--out: "Bad_Bucket" is not a valid S3 bucket name.');
  });
});

describe('runDemoData', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctindex-demo-cmd-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes files ending now by default and prints a one-line summary', async () => {
    const line = await runDemoData(demoDataOptions({ ...ARGS, out: dir }), new Date('2024-05-01T12:02:00Z'));
    expect(line).toMatch(new RegExp(`^Wrote \\d+ files \\(\\d+ logs, \\d+ digests\\) with 100 events \\([\\d.]+ MB JSON, [\\d.]+ MB gzip\\) to ${dir} in [\\d.]+ s\\.$`));
    const days = await readdir(join(dir, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05'));
    expect(days).toEqual(['01']);
  });
});
