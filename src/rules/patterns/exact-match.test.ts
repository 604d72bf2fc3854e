import { describe, expect, it } from 'vitest';
import { Prng } from '../../demo-data/prng.js';
import { exactMatcher, exactValues } from './exact-match.js';
import { compileOsRegexReference } from './osregex.js';

describe('exactValues', () => {
  it.each([
    ['osmatch', '^ConsoleLogin$', ['ConsoleLogin']],
    ['osmatch', '^a$|^B$', ['a', 'B']],
    ['osmatch', '^$', ['']],
    ['osmatch', '^a$|b', undefined],
    ['osmatch', '!^a$', undefined],
    ['osmatch', '^\xc3\xa9$', ['\xc3\xa9']],
    ['osregex', '^DeleteTrail$', ['DeleteTrail']],
    ['osregex', '^Delete\\w+$', undefined],
    ['osregex', '^a$|^b$', ['a', 'b']],
    ['osregex', '^(a)$', undefined],
    ['osregex', '^\xc3\xa9$', undefined],
  ] as const)('%s %s', (type, pattern, expected) => {
    expect(exactValues(type, pattern)).toEqual(expected);
  });
});

describe('exactMatcher', () => {
  it('compares whole values, folding ASCII letters only', () => {
    const m = exactMatcher(['DeleteTrail', 'a-Z']);
    expect(['DeleteTrail', 'deletetrail', 'DELETETRAIL', 'A-z'].map((v) => m.test(v))).toEqual([true, true, true, true]);
    // Same length but not a case pair: '@' and '`' differ only in the 0x20 bit, as do '[' and '{'.
    expect(['DeleteTrai', 'DeleteTrails', 'xDeleteTrail', 'a\rZ', '@-Z', 'A-z '].map((v) => m.test(v))).toEqual([false, false, false, false, false, false]);
    expect(exactMatcher(['@[']).test('`{')).toBe(false);
    expect(exactMatcher(['\xc3\xa9']).test('\xc3\x89')).toBe(false); // UTF-8 bytes are not letters
    expect(exactMatcher(['']).test('')).toBe(true);
  });

  it('agrees with the OS_Regex port on every byte pair and on random values', () => {
    // Every single-byte pattern/value pair: only A–Z/a–z fold, nothing else does.
    for (let p = 0x20; p < 0x7f; p++) {
      const pattern = String.fromCharCode(p);
      if (exactValues('osregex', `^${pattern}$`) === undefined) continue;
      const exact = exactMatcher([pattern]);
      const port = compileOsRegexReference(`^${pattern}$`);
      for (let v = 1; v < 256; v++) {
        const value = String.fromCharCode(v);
        expect(exact.test(value), `^${pattern}$ / ${v}`).toBe(port.test(value));
      }
    }
    const prng = new Prng(11);
    const random = (n: number): number => prng.int(0, n - 1);
    const alphabet = 'aAbB.-_:*+$^ \xe9\xc9';
    const word = (): string => Array.from({ length: 1 + random(4) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 3000; i++) {
      const pattern = `^${word().replace(/[\xe9\xc9]/g, 'x')}$|^${word().replace(/[\xe9\xc9]/g, 'y')}$`;
      const values = exactValues('osregex', pattern);
      if (values === undefined) continue;
      const value = random(2) === 0 ? word() : (values[random(2)] as string).toUpperCase();
      expect(exactMatcher(values).test(value), `${pattern} / ${value}`).toBe(compileOsRegexReference(pattern).test(value));
    }
  });
});
