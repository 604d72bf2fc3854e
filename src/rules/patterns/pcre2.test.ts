// pcre2 translation (rule-language.md §4.4). Every expectation below was also checked against
// libpcre2-8 10.42 called with no options, the way Wazuh compiles these patterns.
import { describe, expect, it } from 'vitest';
import { toBytes } from '../../bytes.js';
import { PatternError } from './matcher.js';
import { compilePcre2 } from './pcre2.js';

const CAFE = toBytes('café');

describe('compilePcre2', () => {
  it.each<[pattern: string, input: string, expected: boolean]>([
    // (?i): ASCII folding only, scoped like PCRE2.
    ['(?i)powershell\\.exe$', 'C:\\WINDOWS\\POWERSHELL.EXE', true],
    ['(?i)\xe9', '\xc9', false],
    ['(?i)[\xe0-\xef]', '\xc9', false],
    ['(?i)[^a]', 'A', false],
    ['(?i)[[:upper:]]', 'a', true],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i:a)b', 'Ab', true],
    ['(?i:a)b', 'AB', false],
    ['(a(?i)b|c)', 'C', true],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['abc', 'ABC', false], // case-sensitive by default
    // $ also matches before a final newline; \Z too, \z not.
    ['abc$', 'abc\n', true],
    ['abc$', 'abc\n\n', false],
    ['abc$', 'abc\nx', false],
    ['abc\\Z', 'abc\n', true],
    ['abc\\z', 'abc\n', false],
    ['^abc\\z', 'abc', true],
    ['\\Aabc', 'xabc', false],
    // Byte-mode classes.
    ['^\\s$', '\t', true],
    ['^\\s$', '\x0b', true],
    ['^\\s$', '\xa0', false],
    ['^\\S$', '\xa0', true],
    ['\\w', '\xe9', false],
    ['\\d', '\xb2', false],
    ['^.$', '\r', true],
    ['^.$', '\n', false],
    ['(?s)^.$', '\n', true],
    ['\\N', '\n', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['(?m)^$', 'a\n', false],
    ['^b$', 'a\nb', false],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoo', false],
    ['\\bfoo', '\xe9foo', true],
    // UTF-8 literals are byte sequences.
    [toBytes('café'), `le ${CAFE}`, true],
    [toBytes('^[é]$'), '\xa9', true],
    [toBytes('^é+$'), '\xc3\xa9\xa9', true],
    // Names and backreferences.
    ['(?P<n>a)(?P=n)', 'aa', true],
    ['(?P<n>a)(?P=n)', 'ab', false],
    ['(?<w>\\w)\\k<w>', 'xx', true],
    ['(\\w)\\1', 'ab', false],
    ['(\\w)\\g{-1}', 'bb', true],
    ['(?:(a)b)+\\1', 'ababa', true],
    // Possessive quantifiers and atomic groups.
    ['a++a', 'aaa', false],
    ['(?>a+)a', 'aaa', false],
    ['a+a', 'aaa', true],
    ['(?>a|ab)c', 'abc', false],
    ['(?:a|ab)c', 'abc', true],
    ['(a)?+b', 'ab', true],
    ['x*+\\d', 'xx1', true],
    ['^\\R$', '\r\n', true],
    ['\\R\\n', '\r\n', false], // \R is atomic
    // Lookarounds.
    ['(?<=a|bc)x', 'bcx', true],
    ['(?<=a|bc)x', 'cx', false],
    ['(?<!\\d)x', '1x', false],
    ['(?=a)?b', 'b', true],
    // PCRE2 class syntax.
    ['[]a]', ']', true],
    ['[^]a]', ']', false],
    ['[^]a]', 'b', true],
    ['[\\d-]', '-', true],
    ['[a\\-z]', 'b', false],
    ['[[:alpha:]]', '\xe9', false],
    ['[[:^digit:]]', 'x', true],
    // Escapes, quoting, quantifiers, comments.
    ['\\cA', '\x01', true],
    ['\\x41\\x{42}\\103', 'ABC', true],
    ['\\Q.*\\E', 'a.*', true],
    ['\\Q.*\\E', 'ab', false],
    ['^a{2,3}$', 'aaaa', false],
    ['a{x}', 'a{x}', true],
    ['a{2,}b', 'aab', true],
    ['a(?#comment)b', 'ab', true],
    ['a\\Kb', 'ab', true],
    ['', 'anything', true],
    ['a|', 'x', true],
  ])('%j on %j → %s', (pattern, input, expected) => {
    expect(compilePcre2(pattern).test(input)).toBe(expected);
  });

  it.each<[pattern: string, message: RegExp]>([
    // Compile errors in PCRE2 itself (Wazuh rejects the rule too).
    ['(', /missing closing parenthesis at byte 0/],
    [')', /unmatched closing parenthesis/],
    ['*a', /quantifier does not follow a repeatable item/],
    ['a**', /quantifier does not follow a repeatable item/],
    ['[\\d-z]', /invalid range/],
    ['[z-a]', /range out of order/],
    ['(?<=a+)b', /lookbehind assertion is not fixed length/],
    ['(?<=a(b|cd))x', /lookbehind assertion is not fixed length/],
    ['\\x{100}', /too large/],
    ['\\q', /unrecognized escape \\q/],
    ['[:alpha:]', /POSIX named classes are supported only within a class/],
    ['[[:foo:]]', /unknown POSIX class name/],
    ['(?<n>a)(?<n>b)', /same name/],
    ['\\k<nope>', /backreference to "nope"/],
    ['(?=a\\K)', /\\K is not allowed in lookarounds/],
    // Valid PCRE2 that cannot be translated exactly.
    ['(?x)a b', /option \(\?x\) is not supported/],
    ['(?R)', /recursion/],
    ['\\p{L}', /\\p is not supported/],
    ['(a)?\\1', /may refer to an unset group/],
    ['(?i)(a)\\1', /caseless/],
    ['x{,3}', /different things across PCRE2 versions/],
    ['(*UTF)a', /\(\*VERB\)/],
    ['(?|a)', /branch reset/],
  ])('rejects %j', (pattern, message) => {
    expect(() => compilePcre2(pattern)).toThrow(PatternError);
    expect(() => compilePcre2(pattern)).toThrow(message);
  });
});
