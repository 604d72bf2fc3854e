// The Aho–Corasick searcher: overlapping and repeated literals, groups, ASCII-only case folding,
// independence of successive searches, and agreement with a naive search on random input.
import { describe, expect, it } from 'vitest';
import type { ByteString } from '../bytes.js';
import { Prng } from '../demo-data/prng.js';
import { asciiLower } from './ascii-lower.js';
import { LiteralSearcher } from './literal-searcher.js';

/** One group per literal; the literals found in `value`. */
function foundIn(literals: readonly ByteString[], value: ByteString): ByteString[] {
  const searcher = new LiteralSearcher(literals, literals.map((_, i) => i), literals.length);
  searcher.search(value);
  return literals.filter((_, i) => searcher.found(i));
}

describe('LiteralSearcher', () => {
  it('finds overlapping literals and literals inside others', () => {
    expect(foundIn(['he', 'she', 'his', 'hers'], 'ushers')).toEqual(['he', 'she', 'hers']);
    expect(foundIn(['abcd', 'bc', 'c', 'bcx'], 'xabcdx')).toEqual(['abcd', 'bc', 'c']);
    expect(foundIn(['aaa', 'aa'], 'aaaa')).toEqual(['aaa', 'aa']);
    expect(foundIn(['aab'], 'aaab')).toEqual(['aab']); // needs the failure link after "aa" + "a"
  });

  it('finds literals at the very start and end, and nothing in an empty value', () => {
    expect(foundIn(['ab', 'yz'], 'abxyz')).toEqual(['ab', 'yz']);
    expect(foundIn(['ab'], '')).toEqual([]);
  });

  it('reports every group of a literal repeated across groups, and a group with several literals', () => {
    const searcher = new LiteralSearcher(['abc', 'abc', 'zzz', 'bc'], [0, 1, 2, 2], 4);
    searcher.search('xabcx');
    expect([0, 1, 2, 3].map((g) => searcher.found(g))).toEqual([true, true, true, false]);
  });

  it('folds ASCII letters only', () => {
    expect(foundIn(['abc', 'XYZ'], 'ABC xyz')).toEqual(['abc', 'XYZ']);
    expect(foundIn(['caf\xe9'], 'CAF\xc9')).toEqual([]); // no Latin-1 folding
    expect(foundIn(['caf\xc9'], 'Caf\xc9')).toEqual(['caf\xc9']);
    // The neighbours of the letter ranges stay distinct: @ ` [ { ] } ^ ~.
    expect(foundIn(['@', '[', ']', '^'], '`{}~')).toEqual([]);
    expect(foundIn(['`', '{'], '@[')).toEqual([]);
  });

  it('answers for the last search only', () => {
    const searcher = new LiteralSearcher(['foo', 'bar'], [0, 1], 2);
    searcher.search('foo');
    expect([searcher.found(0), searcher.found(1)]).toEqual([true, false]);
    searcher.search('bar');
    expect([searcher.found(0), searcher.found(1)]).toEqual([false, true]);
    searcher.search('nothing');
    expect([searcher.found(0), searcher.found(1)]).toEqual([false, false]);
  });

  it('leaves a group without literals never found', () => {
    const searcher = new LiteralSearcher(['foo'], [1], 2);
    searcher.search('foo');
    expect([searcher.found(0), searcher.found(1)]).toEqual([false, true]);
  });

  it('refuses an empty literal', () => {
    expect(() => new LiteralSearcher([''], [0], 1)).toThrow(/empty literal/);
  });

  it('agrees with a naive search on random literals and values', () => {
    const prng = new Prng(5);
    const alphabet = ['a', 'b', 'A', 'B', 'c', '-', '\xe1', '\xc1'];
    const text = (min: number, max: number): string => Array.from({ length: prng.int(min, max) }, () => prng.pick(alphabet)).join('');
    for (let round = 0; round < 300; round++) {
      const literals = Array.from({ length: prng.int(1, 12) }, () => text(1, 4));
      const groupOf = literals.map(() => prng.int(0, 5));
      const searcher = new LiteralSearcher(literals, groupOf, 6);
      for (let k = 0; k < 10; k++) {
        const value = text(0, 30);
        searcher.search(value);
        for (let g = 0; g < 6; g++) {
          const expected = literals.some((l, i) => groupOf[i] === g && asciiLower(value).includes(asciiLower(l)));
          expect(searcher.found(g), `${JSON.stringify(literals)} / ${JSON.stringify(value)} / group ${g}`).toBe(expected);
        }
      }
    }
  });
});
