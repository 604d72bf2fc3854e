// `<time>` ranges (rule-language.md §3.6; validate_op.c, OS_IsValidTime, __gethour, OS_IsonTime),
// parsed with the C parser's exact leniencies and compared as `HH:MM` strings.

/** A compiled `<time>` range: `test("HH:MM")`. */
export interface DayTime {
  test(hhmm: string): boolean;
}

const isDigit = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
};

/** C atoi: optional sign and leading digits, 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? parseInt(m[1] ?? '0', 10) : 0;
}

const skipSpaces = (s: string, i: number): number => {
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
};

/** __gethour: one `H[:MM][ am|pm]` at `i`; returns [HH:MM, next index] or undefined. */
function readHour(s: string, i: number): [string, number] | undefined {
  // A non-digit start is only logged by Wazuh; atoi then yields 0.
  let hour = atoi(s.slice(i));
  if (hour < 0 || hour >= 24) return undefined;
  const start = i;
  while (isDigit(s, i)) i++;
  if (i - start > 2) return undefined;
  let minute = 0;
  if (s[i] === ':') {
    i++;
    if ((!isDigit(s, i) || !isDigit(s, i + 1)) && isDigit(s, i + 2)) return undefined;
    minute = atoi(s.slice(i));
    i += 2;
  }
  i = skipSpaces(s, i);
  const c = s[i];
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (c === 'a' || c === 'A' || c === 'p' || c === 'P') {
    if (s[i + 1] !== 'm' && s[i + 1] !== 'M') return undefined;
    if (hour === 12) hour = 0;
    if (c === 'p' || c === 'P') hour += 12;
    if (hour >= 24) return undefined;
    return [`${pad(hour)}:${pad(minute)}`, i + 2];
  }
  return [`${pad(hour)}:${pad(minute)}`, i];
}

/**
 * Parses `[!]H[:MM][ am|pm] - H[:MM][ am|pm]`; undefined when invalid (a fatal rule error).
 * A reversed range (start > end) means "not within [end, start]" and loses a leading `!`.
 */
export function parseDayTime(text: string): DayTime | undefined {
  let i = skipSpaces(text, 0);
  let negated = false;
  if (text[i] === '!') {
    negated = true;
    i = skipSpaces(text, i + 1);
  }
  const first = readHour(text, i);
  if (first === undefined) return undefined;
  i = skipSpaces(text, first[1]);
  if (text[i] !== '-') return undefined;
  const second = readHour(text, skipSpaces(text, i + 1));
  if (second === undefined) return undefined;
  if (skipSpaces(text, second[1]) !== text.length) return undefined;
  let [from, to] = [first[0], second[0]];
  if (from > to) {
    [from, to] = [to, from];
    negated = true;
  }
  return { test: (hhmm) => (hhmm >= from && hhmm <= to) !== negated };
}
