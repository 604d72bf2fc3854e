// Focused cases for osmatch (rule-language.md §4.1); osmatch.tsv covers the rest.
import { describe, expect, it } from 'vitest';
import { compileOsMatch } from './osmatch.js';

const CAFE = 'caf\xc3\xa9'; // "café" as UTF-8 bytes

describe('compileOsMatch', () => {
  it.each<[label: string, pattern: string, input: string, expected: boolean]>([
    ['substring, ASCII case-insensitive', 'foo', 'xFOOx', true],
    ['prefix', '^foo', 'Foobar', true],
    ['prefix misses', '^foo', 'xfoo', false],
    ['suffix', 'foo$', 'barFOO', true],
    ['suffix misses', 'foo$', 'foobar', false],
    ['exact', '^foo$', 'FOO', true],
    ['exact misses', '^foo$', 'foo ', false],
    ['any piece', 'a|b$|^c', 'zzb', true],
    // Empty pieces are always true.
    ['a||b', 'a||b', 'zzz', true],
    ['trailing |', 'a|', 'zzz', true],
    ['leading |', '|a', 'zzz', true],
    ['empty pattern', '', 'zzz', true],
    ['lone ^', '^', 'zzz', true],
    ['lone $', '$', 'zzz', true],
    ['^$ on ""', '^$', '', true],
    ['^$ on text', '^$', 'x', false],
    // `!` inverts inside the matcher.
    ['! inverts a miss', '!foo', 'bar', true],
    ['! inverts a hit', '!foo', 'xfoox', false],
    ['! with anchors', '!^foo$', 'FOO', false],
    ['! with an always-true piece', '!a|', 'zzz', false],
    ['lone !', '!', 'zzz', false],
    ['! only at the start', 'a!b', 'xa!by', true],
    // Everything else is literal.
    ['. is literal', 'a.b', 'axb', false],
    ['. matches .', 'a.b', 'a.b', true],
    ['\\d is literal', '\\d', '1', false],
    ['\\d matches "\\d"', '\\d', 'x\\dx', true],
    ['* is literal', '.*', 'abc', false],
    ['[ is literal', '[a', 'x[a', true],
    ['inner ^ is literal', 'a^b', 'xa^by', true],
    ['inner $ is literal', 'a$b', 'xa$by', true],
    // Non-ASCII (signed char): substring pieces never match, anchored pieces compare bytes.
    ['non-ASCII substring never matches', '\xc3\xa9', CAFE, false],
    ['non-ASCII suffix', `${CAFE}$`, `le ${CAFE}`, true],
    ['non-ASCII prefix', `^${CAFE}`, `${CAFE} au lait`, true],
    ['non-ASCII exact, ASCII part folded', `^${CAFE}$`, 'CAF\xc3\xa9', true],
    ['no Latin-1 folding', '^\xe9$', '\xc9', false],
    ['ASCII piece still matches beside non-ASCII', `\xc3\xa9|caf`, CAFE, true],
  ])('%s: %j on %j', (_label, pattern, input, expected) => {
    expect(compileOsMatch(pattern).test(input)).toBe(expected);
  });
});
