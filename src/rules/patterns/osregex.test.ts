// Focused cases for the OS_Regex port and its RegExp fast path (rule-language.md §4.3, Appendix A).
// Every case runs through both compilers: the fast path must never change a result.
import { describe, expect, it } from 'vitest';
import { PatternError } from './matcher.js';
import { compileOsRegex, compileOsRegexReference } from './osregex.js';

const CAFE = 'caf\xc3\xa9'; // "café" as UTF-8 bytes

describe.each([
  ['compileOsRegex', compileOsRegex],
  ['compileOsRegexReference', compileOsRegexReference],
])('%s', (_name, compile) => {
  const cases: Array<[label: string, pattern: string, input: string, expected: boolean]> = [
    // §4.3 table: where OS_Regex and a real regex disagree.
    ['bare $ matches only ""', '$', 'abc', false],
    ['bare $ on ""', '$', '', true],
    ['\\d*$ does not reach the end', '\\d*$', 'ab/', false],
    ['lazy hand-over: \\w+ gives b away too early', '\\w+b$', 'x_bb', false],
    ['lazy hand-over in a real rule', '"GET \\S+thumb.php?src=\\S+.php', '"GET .thumb.php?src=b..php', false],
    ['stale state accepted at end of input', '^\\S+\\.\\d+', '2A', true],
    ['at most one trailing \\X* may be empty', 'abc\\d*\\w*', 'abc', false],
    ['one trailing \\X* may be empty', 'abc\\d*', 'abc', true],
    // Only 4 resume points: a 5th would be dropped, and with 5 kept this would not match (Appendix A).
    ['4 resume points', '\\.*\\S*\\w*\\.*\\.+b$', '1111bb', true],
    // `)(`: the second PAREN is compared as a literal `(`.
    [')( does not match plain text', '(a)(b)', 'ab', false],
    [')( wants a literal (', '(a)(b)', 'a(b', true],
    ['groups are otherwise skipped', '(a)b', 'xaby', true],
    ['anchored group', '^(\\d+)$', '123', true],
    // Anchors only at the ends of an alternative.
    ['^ anchors', '^abc', 'xabc', false],
    ['^ prefix', '^abc', 'abcx', true],
    ['$ suffix', 'abc$', 'xabc', true],
    ['$ anchors', 'abc$', 'abcx', false],
    ['^$ only ""', '^$', '', true],
    ['inner ^ is literal', 'a^b', 'xa^by', true],
    ['inner $ is literal', 'a$b', 'xa$by', true],
    ['\\\\$ is backslash + end anchor', '\\\\$', 'a\\', true],
    ['\\$ is a literal $', '\\$', 'a$b', true],
    ['alternatives anchor separately', 'x|^a$', 'a', true],
    ['alternatives anchor separately (miss)', 'x|^a$', 'ba', false],
    // Restart after the first byte of a failed attempt.
    ['restart', 'aab', 'aaab', true],
    // Literals fold ASCII case only; quantifiers only follow escapes.
    ['case-insensitive literal', 'ABC', 'xabcx', true],
    ['case-insensitive input', 'abc', 'ABC', true],
    ['+ after a literal is literal', 'a+', 'aa', false],
    ['+ after a literal matches "+"', 'a+', 'a+', true],
    ['quantified class', '^\\d+$', '123', true],
    // Classes.
    ['\\w includes -', '^\\w$', '-', true],
    ['\\w includes @', '^\\w$', '@', true],
    ['\\s is space only', '\\s', '\t', false],
    ['\\t', '\\t', 'a\tb', true],
    ['\\. matches newline', '^a\\.b$', 'a\nb', true],
    ['\\p excludes /', '\\p', 'a/b', false],
    ['\\p includes [', '\\p', 'a[b', true],
    // Non-ASCII quirks (signed char).
    ['non-ASCII literal never matches', CAFE, CAFE, false],
    ['non-ASCII literal never matches, anchored', `^${CAFE}$`, CAFE, false],
    ['non-ASCII input through \\.', 'caf\\.', CAFE, true],
    ['\\W contains bytes ≥ 0x80', '^caf\\W\\W$', CAFE, true],
    ['\\w excludes bytes ≥ 0x80', 'caf\\w', CAFE, false],
    ['\\S contains bytes ≥ 0x80', '^caf\\S+$', CAFE, true],
    ['no Latin-1 case folding', '^\\W$', '\xc9', true],
    ['empty pattern', '', 'x', true],
    ['empty pattern on ""', '', '', true],
    ['empty alternative', 'x|', 'y', true],
  ];

  it.each(cases)('%s: %j on %j', (_label, pattern, input, expected) => {
    expect(compile(pattern).test(input)).toBe(expected);
  });

  const errors: Array<[pattern: string, message: RegExp]> = [
    ['ab\\q', /^unknown escape \\q at byte 2$/],
    ['ab\\', /^trailing \\ at byte 2$/],
    ['((a))', /^nested \( at byte 1/],
    ['(a|b)', /^\| inside a group at byte 2$/],
    ['a)', /^unbalanced \) at byte 1$/],
    ['(a', /^unclosed \(/],
    ['a'.repeat(20_481), /20481 bytes; the limit is 20480/],
  ];

  it.each(errors)('rejects %j', (pattern, message) => {
    expect(() => compile(pattern)).toThrow(PatternError);
    expect(() => compile(pattern)).toThrow(message);
  });

  it('accepts a pattern of exactly 20480 bytes', () => {
    expect(compile('a'.repeat(20_480)).test('a'.repeat(20_480))).toBe(true);
  });
});
