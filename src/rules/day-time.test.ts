import { describe, expect, it } from 'vitest';
import { parseDayTime } from './day-time.js';

function inRange(text: string, hhmm: string): boolean {
  const t = parseDayTime(text);
  if (t === undefined) throw new Error(`invalid ${text}`);
  return t.test(hhmm);
}

describe('parseDayTime (rule-language.md §3.6)', () => {
  it.each([
    ['09:00-17:00', '09:00', true],
    ['09:00-17:00', '17:00', true], // the end minute is included whole
    ['09:00-17:00', '17:01', false],
    ['!09:00-17:00', '12:00', false],
    ['!09:00-17:00', '18:00', true],
    ['9 am - 5 pm', '16:59', true],
    ['6 pm - 8:30 am', '23:00', true], // reversed: not within [08:30, 18:00]
    ['6 pm - 8:30 am', '12:00', false],
    ['22:00-06:00', '22:01', true],
    ['22:00-06:00', '22:00', false],
    ['22:00-06:00', '06:00', false],
    ['!22:00-06:00', '23:00', true], // a reversed range loses its `!`
    ['12 am - 12 pm', '00:00', true],
    ['12 am - 12 pm', '12:30', false],
  ])('%s at %s → %s', (text, at, expected) => {
    expect(inRange(text, at)).toBe(expected);
  });

  it('is as lenient as the C parser: a missing hour reads as 00:00', () => {
    // "9-" is "09:00 - 00:00", reversed: not within [00:00, 09:00].
    expect(inRange('9-', '10:00')).toBe(true);
    expect(inRange('9-', '08:00')).toBe(false);
  });

  it.each(['25:00-26:00', '9', 'abc', '13 pm - 14 pm', '123:00-14:00', '9:00 - 10:00 x', '9 ax - 10'])('rejects %j', (text) => {
    expect(parseDayTime(text)).toBeUndefined();
  });
});
