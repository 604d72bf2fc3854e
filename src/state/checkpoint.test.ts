import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, compareKeys, EMPTY_CHECKPOINT, isDone, type Checkpoint } from './checkpoint.js';

// Keys k00…k99 stand for time-ordered CloudTrail keys; the lookback window is 3 keys wide.
const k = (n: number): string => `k${String(n).padStart(2, '0')}`;
const lookback = (watermark: string): string => k(Math.max(0, Number(watermark.slice(1)) - 3));
const keys = (...ns: number[]): string[] => ns.map(k);

describe('advanceCheckpoint', () => {
  it('moves the watermark over a fully done listing', () => {
    const cp = advanceCheckpoint(EMPTY_CHECKPOINT, keys(1, 2, 3), new Set(keys(1, 2, 3)), lookback);
    expect(cp).toEqual({ watermark: k(3), done: keys(1, 2, 3) });
  });

  it('stops at the first key not done, though later ones finished first', () => {
    const cp = advanceCheckpoint(EMPTY_CHECKPOINT, keys(1, 2, 3, 4, 5), new Set(keys(1, 2, 4, 5)), lookback);
    expect(cp).toEqual({ watermark: k(2), done: keys(1, 2, 4, 5) });
  });

  it('stays null when the first listed key is not done', () => {
    expect(advanceCheckpoint(EMPTY_CHECKPOINT, keys(1, 2), new Set(keys(2)), lookback)).toEqual({ watermark: null, done: keys(2) });
  });

  it('catches up once the missing key finishes, and prunes done keys before the new lookback start', () => {
    const before: Checkpoint = { watermark: k(2), done: keys(1, 2, 4, 5) };
    const cp = advanceCheckpoint(before, keys(3, 4, 5, 6), new Set(keys(3, 6)), lookback);
    expect(cp).toEqual({ watermark: k(6), done: keys(3, 4, 5, 6) });
  });

  it('keeps done keys inside the lookback window, below the watermark', () => {
    const cp = advanceCheckpoint(EMPTY_CHECKPOINT, keys(10, 11, 12, 13, 14), new Set(keys(10, 11, 12, 13, 14)), lookback);
    expect(cp).toEqual({ watermark: k(14), done: keys(11, 12, 13, 14) });
  });

  it('never moves the watermark backwards when a late key below it is not done', () => {
    const before: Checkpoint = { watermark: k(10), done: keys(7, 8, 10) };
    // k09 arrived late (inside the window) and is not done yet; k11 and k12 are.
    const cp = advanceCheckpoint(before, keys(7, 8, 9, 10, 11, 12), new Set(keys(11, 12)), lookback);
    expect(cp).toEqual({ watermark: k(10), done: keys(7, 8, 10, 11, 12) });
  });

  it('passes keys older than the lookback window, which were done and pruned', () => {
    const before: Checkpoint = { watermark: k(10), done: keys(7, 8, 9, 10) };
    const cp = advanceCheckpoint(before, keys(5, 11), new Set(keys(11)), lookback);
    expect(cp.watermark).toBe(k(11));
  });

  it('stays bounded over a long run', () => {
    let cp = EMPTY_CHECKPOINT;
    for (let n = 0; n < 90; n += 3) {
      const batch = keys(n, n + 1, n + 2);
      cp = advanceCheckpoint(cp, batch, new Set(batch), lookback);
    }
    expect(cp.watermark).toBe(k(89));
    expect(cp.done).toEqual(keys(86, 87, 88, 89));
  });

  it('does not change its input', () => {
    const before: Checkpoint = Object.freeze({ watermark: k(2), done: Object.freeze(keys(1, 2)) });
    advanceCheckpoint(before, keys(3), new Set(keys(3)), lookback);
    expect(before).toEqual({ watermark: k(2), done: keys(1, 2) });
  });
});

describe('isDone', () => {
  const cp: Checkpoint = { watermark: k(10), done: keys(7, 8, 10, 12) };

  it.each([
    { key: k(3), expected: true, why: 'before the lookback window' },
    { key: k(8), expected: true, why: 'in done, below the watermark' },
    { key: k(9), expected: false, why: 'a late arrival inside the window' },
    { key: k(12), expected: true, why: 'in done, beyond the watermark' },
    { key: k(11), expected: false, why: 'beyond the watermark, not done' },
  ])('$key is $expected ($why)', ({ key, expected }) => {
    expect(isDone(cp, key, lookback)).toBe(expected);
  });

  it('knows nothing is done before the first watermark except what is in done', () => {
    expect(isDone({ watermark: null, done: keys(4) }, k(4), lookback)).toBe(true);
    expect(isDone({ watermark: null, done: keys(4) }, k(1), lookback)).toBe(false);
  });
});

describe('compareKeys', () => {
  it.each([
    { a: 'a/1', b: 'a/2', expected: -1 },
    { a: 'a/2', b: 'a/1', expected: 1 },
    { a: 'same', b: 'same', expected: 0 },
    // UTF-16 puts U+FF5E before U+1F600 (a surrogate pair); S3's UTF-8 byte order does the opposite.
    { a: 'x\u{1F600}', b: 'x\uFF5E', expected: 1 },
  ])('$a vs $b is $expected', ({ a, b, expected }) => {
    expect(Math.sign(compareKeys(a, b))).toBe(expected);
  });
});
