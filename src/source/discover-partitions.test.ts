import { describe, expect, it } from 'vitest';
import { discoverPartitions, type ListFolders } from './discover-partitions.js';
import type { Partition, PartitionFilter } from './types.js';

/** A folder tree as S3 delimiter listings would show it, recording which prefixes were listed. */
function fakeTree(keys: readonly string[]): { listFolders: ListFolders; listed: string[] } {
  const listed: string[] = [];
  const listFolders: ListFolders = async function* (prefix) {
    listed.push(prefix);
    const folders = new Set<string>();
    for (const key of keys) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash > 0) folders.add(rest.slice(0, slash));
    }
    yield* [...folders].sort();
  };
  return { listFolders, listed };
}

async function collect(source: AsyncIterable<Partition>): Promise<string[]> {
  const ids: string[] = [];
  for await (const p of source) ids.push(p.id);
  return ids;
}

const ALL: PartitionFilter = { accounts: [], regions: [] };
const KEYS = [
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/f.json.gz',
  'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/05/01/f.json.gz',
  'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz',
  'AWSLogs/111122223333/Config/ConfigWritabilityCheckFile/x',
  'AWSLogs/444455556666/CloudTrail/us-east-1/2024/05/01/f.json.gz',
  'AWSLogs/o-a1b2c3d4e5/777788889999/CloudTrail/ap-southeast-2/2024/05/01/f.json.gz',
  'AWSLogs/o-a1b2c3d4e5/777788889999/CloudTrail-Digest/ap-southeast-2/2024/05/01/d.json.gz',
  'AWSLogs/not-an-account/CloudTrail/us-east-1/x',
];

describe('discoverPartitions', () => {
  it('finds plain and organization partitions, ignoring digest and other folders', async () => {
    const { listFolders } = fakeTree(KEYS);
    expect(await collect(discoverPartitions(listFolders, '', ALL))).toEqual([
      '111122223333/eu-west-1',
      '111122223333/us-east-1',
      '444455556666/us-east-1',
      'o-a1b2c3d4e5/777788889999/ap-southeast-2',
    ]);
  });

  it('looks only under the custom prefix', async () => {
    const { listFolders, listed } = fakeTree(KEYS.map((k) => `trails/prod/${k}`));
    expect(await collect(discoverPartitions(listFolders, 'trails/prod/', ALL))).toHaveLength(4);
    expect(listed.every((prefix) => prefix.startsWith('trails/prod/AWSLogs/'))).toBe(true);
  });

  it('builds filtered regions without listing region folders', async () => {
    const { listFolders, listed } = fakeTree(KEYS);
    const ids = await collect(discoverPartitions(listFolders, '', { accounts: [], regions: ['us-east-1'] }));
    expect(ids).toEqual(['111122223333/us-east-1', '444455556666/us-east-1', 'o-a1b2c3d4e5/777788889999/us-east-1']);
    expect(listed).toEqual(['AWSLogs/', 'AWSLogs/o-a1b2c3d4e5/']);
  });

  it('with accounts and regions given, lists only the top level', async () => {
    const { listFolders, listed } = fakeTree(KEYS);
    const ids = await collect(discoverPartitions(listFolders, '', { accounts: ['444455556666'], regions: ['us-east-1', 'eu-west-1'] }));
    expect(ids).toEqual([
      '444455556666/us-east-1',
      '444455556666/eu-west-1',
      'o-a1b2c3d4e5/444455556666/us-east-1',
      'o-a1b2c3d4e5/444455556666/eu-west-1',
    ]);
    expect(listed).toEqual(['AWSLogs/']);
  });

  it('with accounts given, lists only those accounts’ region folders', async () => {
    const { listFolders, listed } = fakeTree(KEYS);
    const ids = await collect(discoverPartitions(listFolders, '', { accounts: ['111122223333'], regions: [] }));
    expect(ids).toEqual(['111122223333/eu-west-1', '111122223333/us-east-1']);
    expect(listed).toEqual(['AWSLogs/', 'AWSLogs/111122223333/CloudTrail/', 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/']);
  });

  it('finds nothing in an empty tree', async () => {
    const { listFolders } = fakeTree([]);
    expect(await collect(discoverPartitions(listFolders, '', ALL))).toEqual([]);
  });
});
