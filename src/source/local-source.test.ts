import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../errors.js';
import { LocalTrailSource } from './local-source.js';
import { buildPartition, keyAt } from './trail-keys.js';
import type { ListWindow, ListedObject, Partition } from './types.js';

const ACCOUNT = '111122223333';
const logKey = (root: string, region: string, iso: string) => {
  const d = new Date(iso).toISOString();
  const day = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}`;
  const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
  return `${root}AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day}/${ACCOUNT}_CloudTrail_${region}_${stamp}_AbCdEfGh12345678.json.gz`;
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctindex-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(key: string, body = 'x'): Promise<void> {
  const path = join(dir, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

async function list(source: LocalTrailSource, partition: Partition, window: ListWindow): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  for await (const item of source.listObjects(partition, window)) out.push(item);
  return out;
}

const keysOf = (items: ListedObject[]) => items.map((i) => (i.kind === 'log' ? i.object.key : `skipped:${i.skipped.reason}:${i.skipped.key}`));

describe('LocalTrailSource', () => {
  it('discovers partitions like the S3 source, under an optional prefix', async () => {
    await put(logKey('', 'us-east-1', '2024-05-01T10:00:00Z'));
    await put(logKey('', 'eu-west-1', '2024-05-01T10:00:00Z'));
    await put(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz`);
    await put(logKey('nested/trail/', 'ap-south-1', '2024-05-01T10:00:00Z'));
    const ids = async (source: LocalTrailSource) => {
      const out: string[] = [];
      for await (const p of source.listPartitions({ accounts: [], regions: [] })) out.push(p.id);
      return out;
    };
    expect(await ids(new LocalTrailSource(dir))).toEqual([`${ACCOUNT}/eu-west-1`, `${ACCOUNT}/us-east-1`]);
    expect(await ids(new LocalTrailSource(dir, { prefix: 'nested/trail' }))).toEqual([`nested/trail/${ACCOUNT}/ap-south-1`]);
  });

  it('lists keys in S3 order inside the window, across day and month folders', async () => {
    const times = ['2024-04-30T23:55:00Z', '2024-05-01T00:05:00Z', '2024-05-01T12:00:00Z', '2024-05-02T00:00:00Z', '2024-05-10T08:30:00Z', '2024-06-01T00:00:00Z'];
    for (const t of [...times].reverse()) await put(logKey('', 'us-east-1', t));
    const source = new LocalTrailSource(dir);
    const partition = buildPartition({ root: '', account: ACCOUNT, region: 'us-east-1' });
    const all = await list(source, partition, {});
    expect(keysOf(all)).toEqual(times.map((t) => logKey('', 'us-east-1', t)));
    const window = { startAfter: keyAt(partition, new Date('2024-05-01T00:05:00Z')), endBefore: keyAt(partition, new Date('2024-05-10T08:30:00Z')) };
    expect(keysOf(await list(source, partition, window))).toEqual(times.slice(1, 4).map((t) => logKey('', 'us-east-1', t)));
    expect(all[0]).toMatchObject({ kind: 'log', object: { bucket: dir, size: 1, partition } });
  });

  it('yields non-log files inside a partition as skipped', async () => {
    await put(logKey('', 'us-east-1', '2024-05-01T10:00:00Z'));
    await put(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2024/05/01/README.txt`);
    await put(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2024/05/01/${ACCOUNT}_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T100000Z.json.gz`);
    const source = new LocalTrailSource(dir);
    const items = await list(source, buildPartition({ root: '', account: ACCOUNT, region: 'us-east-1' }), {});
    // In key order: `…_CloudTrail-Digest_…` sorts before `…_CloudTrail_…` ('-' < '_'), then README.txt.
    expect(items.map((i) => (i.kind === 'log' ? 'log' : i.skipped.reason))).toEqual(['digest', 'log', 'not_a_log_file']);
  });

  it('fetches and deletes objects', async () => {
    const key = logKey('', 'us-east-1', '2024-05-01T10:00:00Z');
    await put(key, 'content');
    const source = new LocalTrailSource(dir);
    const partition = buildPartition({ root: '', account: ACCOUNT, region: 'us-east-1' });
    const object = { bucket: dir, key, size: 7, partition };
    expect((await source.fetch(object)).toString()).toBe('content');
    await source.delete(object);
    expect(await list(source, partition, {})).toEqual([]);
    await expect(source.fetch(object)).rejects.toMatchObject({ code: 'object_not_found' });
  });

  it('refuses a file over the size limit', async () => {
    const key = logKey('', 'us-east-1', '2024-05-01T10:00:00Z');
    await put(key, '0123456789');
    const source = new LocalTrailSource(dir, { maxObjectBytes: 5 });
    const object = { bucket: dir, key, size: 10, partition: buildPartition({ root: '', account: ACCOUNT, region: 'us-east-1' }) };
    await expect(source.fetch(object)).rejects.toMatchObject({ code: 'object_too_large' });
  });

  it('fails with one line when the directory does not exist', async () => {
    const source = new LocalTrailSource(join(dir, 'missing'));
    const run = async () => {
      for await (const _ of source.listPartitions({ accounts: [], regions: [] })) void _;
    };
    await expect(run()).rejects.toThrow(SourceError);
    await expect(run()).rejects.toMatchObject({ code: 'directory_not_found', message: `Trail directory ${join(dir, 'missing')} does not exist or is not a directory.` });
  });
});
