// Literal derivation: a table of patterns (the quirks of §4.1/§4.3 included), then the defining
// property checked against the matchers themselves on seeded random patterns and values.
import { describe, expect, it } from 'vitest';
import type { ByteString } from '../bytes.js';
import { Prng } from '../demo-data/prng.js';
import { asciiLower } from './ascii-lower.js';
import { compileOsMatch } from './patterns/osmatch.js';
import { compileOsRegexReference } from './patterns/osregex.js';
import { PatternError, type PatternType } from './patterns/pattern.js';
import { requiredLiterals } from './required-literals.js';

describe('requiredLiterals, osmatch (§4.1)', () => {
  it.each<[pattern: ByteString, literals: ByteString[] | undefined]>([
    ['abc', ['abc']],
    ['Foo|BAR', ['foo', 'bar']],
    ['foo|FOO|foo', ['foo']],
    ['^Foo', ['foo']],
    ['foo$', ['foo']],
    ['^foo$|bar', ['foo', 'bar']],
    ['a.b*c\\d', ['a.b*c\\d']], // every byte is literal
    ['x^y$z', ['x^y$z']], // anchors only count at the ends
    ['!foo', undefined], // inverted: a match needs foo to be absent
    ['a||b', undefined], // an empty piece is always true
    ['a|', undefined],
    ['|a', undefined],
    ['', undefined],
    ['^', undefined], // lone anchors are always true
    ['$', undefined],
    ['^$', undefined], // true for "" only, which holds no literal
    ['caf\xc3\xa9', []], // a substring piece with a byte ≥ 0x80 never matches
    ['\xc3\xa9|abc', ['abc']],
    ['caf\xc3\xa9$', ['caf\xc3\xa9']], // anchored pieces compare high bytes normally
    ['^\xc3\x89t\xc3\xa9', ['\xc3\x89t\xc3\xa9']], // and fold nothing but A–Z
  ])('%j → %j', (pattern, literals) => {
    expect(requiredLiterals('osmatch', pattern)).toEqual(literals);
  });
});

describe('requiredLiterals, osregex (§4.3, Appendix A)', () => {
  it.each<[pattern: ByteString, literals: ByteString[] | undefined]>([
    ['abc', ['abc']],
    ['^Foo\\.barX$', ['barx']], // `\.` is a class: runs "foo" and "barx", the longest wins
    ['Abc.Def', ['abc.def']], // an unescaped `.` is a literal
    ['\\d+abc\\s', ['abc']],
    ['a+b*c', ['a+b*c']], // `+`/`*` are literals unless they follow a class
    ['\\d+b', ['b']],
    ['\\w+', undefined], // no literal at all
    ['abc|\\d+', undefined], // one alternative without a literal is enough
    ['abc|DEF|abc', ['abc', 'def']],
    ['(abc)def', ['abcdef']], // a single paren is skipped without reading input
    ['(ab)(cde)', ['cde']], // `)(` compares a literal `(`: it splits the runs
    ['\\(abc\\)', ['abc']], // escaped parens are classes
    ['\\d+\\d\\wa', undefined], // the last token after a class may be skipped (matches "12!")
    ['\\d+\\d\\wab', ['ab']],
    ['caf\\.', ['caf']],
    ['caf\xc3\xa9', []], // a literal byte ≥ 0x80 never matches: a dead alternative
    ['caf\xc3\xa9|xyz', ['xyz']],
    ['\\w\\w\xc3', undefined], // … unless it is that skippable last token
    ['^abc$', ['abc']],
    ['$', undefined], // bare `$`
    ['a|', undefined], // empty alternative
  ])('%j → %j', (pattern, literals) => {
    expect(requiredLiterals('osregex', pattern)).toEqual(literals);
  });

  it('leaves out the last literal after a class because the matcher really skips it', () => {
    expect(compileOsRegexReference('\\d+\\d\\wa').test('12!')).toBe(true);
  });

  it('does not analyse pcre2 or string patterns', () => {
    expect(requiredLiterals('pcre2', 'abc')).toBeUndefined();
    expect(requiredLiterals('string', 'abc')).toBeUndefined();
  });
});

/**
 * The defining property on random small patterns and values over an alphabet rich in the quirks:
 * whenever the matcher accepts a value, one of the derived literals occurs in it (ASCII case
 * ignored). Returns how many accepted values had literals, so the test can show it checked some.
 */
function checkProperty(type: PatternType, tokens: readonly string[], seed: number): number {
  const compile = type === 'osmatch' ? compileOsMatch : compileOsRegexReference;
  const valueBytes = ['a', 'b', 'A', 'B', '1', '2', ' ', '-', '(', ')', '!', '$', '^', '.', '+', '\xc3', '\xa9'];
  const prng = new Prng(seed);
  let checked = 0;
  for (let n = 0; n < 4000; n++) {
    const pattern = Array.from({ length: prng.int(1, 7) }, () => prng.pick(tokens)).join('');
    let matcher;
    try {
      matcher = compile(pattern);
    } catch (err) {
      if (err instanceof PatternError) continue;
      throw err;
    }
    const literals = requiredLiterals(type, pattern);
    if (literals === undefined) continue;
    const noise = (length: number): string => Array.from({ length }, () => prng.pick(valueBytes)).join('');
    for (let k = 0; k < 40; k++) {
      // Half random, half the pattern itself with bytes swapped, dropped or added, which often matches.
      const value =
        k % 2 === 0
          ? noise(prng.int(0, 8))
          : noise(prng.int(0, 2)) + Array.from(pattern, (c) => (prng.chance(0.7) ? c : noise(prng.int(0, 2)))).join('') + noise(prng.int(0, 2));
      if (!matcher.test(value)) continue;
      expect(literals.some((literal) => asciiLower(value).includes(literal)), `${JSON.stringify(pattern)} matches ${JSON.stringify(value)}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

describe('requiredLiterals on random patterns', () => {
  it('holds for osmatch', () => {
    const tokens = ['a', 'b', 'B', 'ab', '|', '^', '$', '!', '.', '\xc3', '\xa9'];
    expect(checkProperty('osmatch', tokens, 1)).toBeGreaterThan(5000);
  });

  it('holds for osregex', () => {
    const tokens = ['a', 'b', 'B', 'ab', '1', '(', ')', '|', '^', '$', '+', '*', '.', '\\d', '\\w', '\\s', '\\S', '\\.', '\\p', '\\(', '\\$', '\xc3'];
    expect(checkProperty('osregex', tokens, 2)).toBeGreaterThan(5000);
  });
});
