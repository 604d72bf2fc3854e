// `<weekday>` lists (rule-language.md §3.6; validate_op.c, OS_IsValidDay and OS_IsonDay).

/** A compiled `<weekday>`: `test(day)` with 0 = Sunday … 6 = Saturday. */
export interface WeekDays {
  test(day: number): boolean;
}

// Tried in this order as case-insensitive prefixes, like the C table.
const NAMES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['sunday', [0]], ['sun', [0]], ['monday', [1]], ['mon', [1]], ['tuesday', [2]], ['tue', [2]],
  ['wednesday', [3]], ['wed', [3]], ['thursday', [4]], ['thu', [4]], ['friday', [5]], ['fri', [5]],
  ['saturday', [6]], ['sat', [6]], ['weekdays', [1, 2, 3, 4, 5]], ['weekends', [0, 6]],
];

const isSeparator = (c: string | undefined): boolean => c === ' ' || c === ',';

/**
 * Parses a comma/space-separated list of day names; undefined when invalid (fatal). A leading `!`
 * is never skipped by the C parser, so it makes the text invalid (§3.6).
 */
export function parseWeekDays(text: string): WeekDays | undefined {
  const days = new Set<number>();
  let i = 0;
  while (text[i] === ' ') i++;
  while (i < text.length) {
    const rest = text.slice(i).toLowerCase();
    const hit = NAMES.find(([name]) => rest.startsWith(name));
    if (hit === undefined) return undefined;
    for (const d of hit[1]) days.add(d);
    i += hit[0].length;
    if (isSeparator(text[i])) {
      while (isSeparator(text[i])) i++;
    } else if (i < text.length) {
      return undefined;
    }
  }
  if (days.size === 0) return undefined;
  return { test: (day) => days.has(day) };
}
