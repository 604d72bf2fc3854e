import { describe, expect, it } from 'vitest';
import { buildPartition } from '../source/trail-keys.js';
import { listingStart } from './sync-partition.js';

const partition = buildPartition({ root: '', account: '111122223333', region: 'us-east-1' });
const key = (stamp: string) => `${partition.prefix}2026/11/20/111122223333_CloudTrail_us-east-1_${stamp}_abcdefghijklmnop.json.gz`;
const now = new Date('2026-11-22T15:00:00Z');

describe('listingStart', () => {
  it('starts a partition with no checkpoint and no --since at the beginning of today (UTC)', () => {
    expect(listingStart(partition, { watermark: null, done: [] }, undefined, 120, now)).toBe(`${partition.prefix}2026/11/22/111122223333_CloudTrail_us-east-1_20261122T0000Z`);
  });

  it('goes back the lookback from the checkpoint', () => {
    expect(listingStart(partition, { watermark: key('20261120T1230Z'), done: [] }, undefined, 120, now)).toBe(`${partition.prefix}2026/11/20/111122223333_CloudTrail_us-east-1_20261120T1030Z`);
  });

  it('takes the later of --since and checkpoint minus lookback', () => {
    const cp = { watermark: key('20261120T1230Z'), done: [] };
    expect(listingStart(partition, cp, new Date('2026-11-20T12:00:00Z'), 120, now)).toContain('20261120T1200Z');
    expect(listingStart(partition, cp, new Date('2026-11-01T00:00:00Z'), 120, now)).toContain('20261120T1030Z');
  });
});
