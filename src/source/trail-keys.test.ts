import { describe, expect, it } from 'vitest';
import { buildPartition, keyAt, keyTime, listedObject, normalizePrefix, parseTrailKey, partitionId } from './trail-keys.js';

const LOG = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail_us-east-1_20240501T1205Z_AbCdEfGh12345678.json.gz';

describe('parseTrailKey', () => {
  it('parses a plain trail log key', () => {
    expect(parseTrailKey(LOG)).toEqual({
      kind: 'log',
      root: '',
      org: undefined,
      account: '111122223333',
      region: 'us-east-1',
      deliveredAt: new Date('2024-05-01T12:05:00Z'),
    });
  });

  it('parses an organization trail key under a custom prefix', () => {
    const key = 'logs/cloudtrail/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-west-1/2023/12/31/444455556666_CloudTrail_eu-west-1_20231231T2359Z_x.json.gz';
    expect(parseTrailKey(key)).toEqual({
      kind: 'log',
      root: 'logs/cloudtrail/',
      org: 'o-a1b2c3d4e5',
      account: '444455556666',
      region: 'eu-west-1',
      deliveredAt: new Date('2023-12-31T23:59:00Z'),
    });
  });

  it('accepts an uncompressed .json file (a gunzipped copy)', () => {
    expect(parseTrailKey(LOG.replace('.json.gz', '.json')).kind).toBe('log');
  });

  it.each([
    ['a digest under CloudTrail-Digest/', 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240501T120512Z.json.gz', 'digest'],
    ['an org digest', 'p/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/x.json.gz', 'digest'],
    ['a digest-named file inside the log folder', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T120512Z.json.gz', 'digest'],
    ['a folder marker', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/', 'not_a_log_file'],
    ['a stray file', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/notes.txt', 'not_a_log_file'],
    ['an Insights file', 'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/05/01/111122223333_CloudTrail-Insight_us-east-1_20240501T1205Z_x.json.gz', 'not_a_log_file'],
    ['a Config check file', 'AWSLogs/111122223333/Config/ConfigWritabilityCheckFile', 'not_a_log_file'],
    ['a file name for another account', LOG.replace('/111122223333_CloudTrail', '/999999999999_CloudTrail'), 'not_a_log_file'],
    ['a file name for another region', LOG.replace('_us-east-1_2024', '_us-west-2_2024'), 'not_a_log_file'],
    ['a file name for another day', LOG.replace('_20240501T', '_20240502T'), 'not_a_log_file'],
    ['an impossible time', LOG.replace('T1205Z', 'T2561Z'), 'not_a_log_file'],
    ['a file one folder too deep', LOG.replace('/01/111122223333_', '/01/extra/111122223333_'), 'not_a_log_file'],
  ])('skips %s', (_, key, reason) => {
    expect(parseTrailKey(key)).toEqual({ kind: 'skipped', reason });
  });
});

describe('partitions', () => {
  it.each([
    [{ root: '', account: '111122223333', region: 'us-east-1' }, '111122223333/us-east-1', 'AWSLogs/111122223333/CloudTrail/us-east-1/'],
    [{ root: '', org: 'o-a1b2c3d4e5', account: '111122223333', region: 'us-east-1' }, 'o-a1b2c3d4e5/111122223333/us-east-1', 'AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/'],
    [{ root: 'a/b/', account: '111122223333', region: 'eu-west-1' }, 'a/b/111122223333/eu-west-1', 'a/b/AWSLogs/111122223333/CloudTrail/eu-west-1/'],
  ])('builds %j as id %s under %s', (parts, id, prefix) => {
    expect(partitionId(parts)).toBe(id);
    expect(buildPartition(parts)).toEqual({ id, account: parts.account, region: parts.region, prefix, ...('org' in parts ? { org: parts.org } : {}) });
  });

  it.each([
    [undefined, ''],
    ['', ''],
    ['/', ''],
    ['logs', 'logs/'],
    ['/logs/trail//', 'logs/trail/'],
  ])('normalises prefix %j to %j', (input, expected) => {
    expect(normalizePrefix(input)).toBe(expected);
  });
});

describe('keyAt and keyTime', () => {
  const partition = buildPartition({ root: '', account: '111122223333', region: 'us-east-1' });

  it('gives the key at which an instant starts', () => {
    expect(keyAt(partition, new Date('2024-05-01T12:05:42.123Z'))).toBe(
      'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail_us-east-1_20240501T1205Z',
    );
  });

  it('sorts files of that minute and later after it, earlier files before it', () => {
    const at = keyAt(partition, new Date('2024-05-01T12:05:00Z'));
    const sameMinute = LOG;
    const earlier = LOG.replace('T1205Z', 'T1204Z');
    const laterDay = LOG.replaceAll('2024/05/01', '2024/05/02').replaceAll('20240501', '20240502').replace('T1205Z', 'T0000Z');
    const earlierMonth = LOG.replaceAll('2024/05/01', '2024/04/30').replaceAll('20240501', '20240430').replace('T1205Z', 'T2359Z');
    expect(sameMinute > at).toBe(true);
    expect(laterDay > at).toBe(true);
    expect(earlier < at).toBe(true);
    expect(earlierMonth < at).toBe(true);
  });

  it('reads the delivery time from a file name', () => {
    expect(keyTime(LOG)).toEqual(new Date('2024-05-01T12:05:00Z'));
    expect(keyTime('AWSLogs/x/notes.txt')).toBeUndefined();
  });
});

describe('listedObject', () => {
  const partition = buildPartition({ root: '', account: '111122223333', region: 'us-east-1' });

  it('wraps a log key of the partition as a TrailObject', () => {
    expect(listedObject('bucket', LOG, 123, partition)).toEqual({ kind: 'log', object: { bucket: 'bucket', key: LOG, size: 123, partition } });
  });

  it('skips a log key of another partition', () => {
    const other = LOG.replaceAll('us-east-1', 'eu-west-1');
    expect(listedObject('bucket', other, 1, partition)).toEqual({ kind: 'skipped', skipped: { key: other, reason: 'not_a_log_file' } });
  });
});
