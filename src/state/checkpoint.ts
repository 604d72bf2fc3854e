// A partition's progress through its key-ordered listing, kept small: a watermark below which
// everything listed is done, plus the done keys near it. Files finish out of order and CloudTrail
// delivers some late, so the watermark only passes keys that are done, and the keys of a lookback
// window before it stay listed: a late file landing there is found missing from `done`.

export interface Checkpoint {
  /** Greatest key K such that every listed key ≤ K is done; null before the first. */
  readonly watermark: string | null;
  /** Done keys at or after the lookback start of the watermark (all of them while it is null), sorted. */
  readonly done: readonly string[];
}

export const EMPTY_CHECKPOINT: Checkpoint = { watermark: null, done: [] };

/**
 * Maps a watermark to the first key of its lookback window (e.g. the key of the time 2 h before
 * it). Must not decrease as the watermark grows, or pruned keys would come back into the window.
 */
export type LookbackStartKey = (watermark: string) => string;

const NEEDS_UTF8_ORDER = /[\ud800-\uffff]/;

/**
 * S3 lists keys in UTF-8 byte order. JavaScript compares UTF-16 code units, which agrees except
 * between surrogate pairs and U+E000–U+FFFF; only such keys pay for the byte comparison.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (NEEDS_UTF8_ORDER.test(a) || NEEDS_UTF8_ORDER.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : 1;
}

function sortedIncludes(sorted: readonly string[], key: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compareKeys(sorted[mid]!, key);
    if (order === 0) return true;
    if (order < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/**
 * Whether `key` needs no processing: it is in `done`, or it lies before the lookback window,
 * where keys were done and pruned (a file delivered later than the lookback is not looked for).
 */
export function isDone(cp: Checkpoint, key: string, lookbackStartKey: LookbackStartKey): boolean {
  if (cp.watermark !== null && compareKeys(key, lookbackStartKey(cp.watermark)) < 0) return true;
  return sortedIncludes(cp.done, key);
}

/**
 * The checkpoint after `doneKeys` finished. `listedKeysInOrder` are the keys listed since the
 * checkpoint was loaded, in listing order; the watermark walks them and stops at the first that is
 * not done, and it never moves backwards (a late key below it that is not done holds it where it
 * is). `done` keeps the done keys from the new watermark's lookback start on, so it stays bounded
 * by the lookback window plus the keys finished ahead of the slowest one.
 */
export function advanceCheckpoint(
  cp: Checkpoint,
  listedKeysInOrder: readonly string[],
  doneKeys: ReadonlySet<string>,
  lookbackStartKey: LookbackStartKey,
): Checkpoint {
  let watermark = cp.watermark;
  for (const key of listedKeysInOrder) {
    if (!doneKeys.has(key) && !isDone(cp, key, lookbackStartKey)) break;
    if (watermark === null || compareKeys(key, watermark) > 0) watermark = key;
  }
  const start = watermark === null ? null : lookbackStartKey(watermark);
  const done = new Set<string>();
  for (const keys of [cp.done, doneKeys]) {
    for (const key of keys) if (start === null || compareKeys(key, start) >= 0) done.add(key);
  }
  return { watermark, done: [...done].sort(compareKeys) };
}
