import { describe, expect, it } from 'vitest';
import { parseWeekDays } from './week-day.js';

const days = (text: string): number[] => {
  const w = parseWeekDays(text);
  if (w === undefined) throw new Error(`invalid ${text}`);
  return [0, 1, 2, 3, 4, 5, 6].filter((d) => w.test(d));
};

describe('parseWeekDays (rule-language.md §3.6)', () => {
  it.each([
    ['monday', [1]],
    ['Mon, wed fri', [1, 3, 5]],
    ['weekdays', [1, 2, 3, 4, 5]],
    ['weekends', [0, 6]],
    [' sunday,,saturday ', [0, 6]],
  ])('%s', (text, expected) => {
    expect(days(text)).toEqual(expected);
  });

  it.each(['!monday', 'mond', 'funday', '', 'monday;tuesday'])('rejects %j', (text) => {
    expect(parseWeekDays(text)).toBeUndefined();
  });
});
