// The Aho–Corasick searcher: overlapping and repeated literals, groups, ASCII-only case folding,
// independence of successive searches, the two-stream scan of long values (a literal across its
// split), and agreement with a naive search on random input.
import { describe, expect, it } from 'vitest';
import type { ByteString } from '../bytes.js';
import { Prng } from '../demo-data/prng.js';
import { asciiLower } from './ascii-lower.js';
import { LiteralSearcher } from './literal-searcher.js';

/** The oracle's folding, written out: A–Z → a–z, every other byte (≥ 0x80 too) stays as it is. */
const foldAZ = (value: string): string => value.replace(/[A-Z]+/g, (run) => run.toLowerCase());

/** True when the last search of `searcher` found `group`. */
const isFound = (searcher: LiteralSearcher, group: number): boolean =>
  Array.from({ length: searcher.foundCount() }, (_, i) => searcher.foundGroup(i)).includes(group);

/** One group per literal; the literals found in `value`. */
function foundIn(literals: readonly ByteString[], value: ByteString): ByteString[] {
  const searcher = new LiteralSearcher(literals, literals.map((_, i) => i), literals.length);
  searcher.search(value);
  return literals.filter((_, i) => isFound(searcher, i));
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
    expect([0, 1, 2, 3].map((g) => isFound(searcher, g))).toEqual([true, true, true, false]);
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
    expect([isFound(searcher, 0), isFound(searcher, 1)]).toEqual([true, false]);
    searcher.search('bar');
    expect([isFound(searcher, 0), isFound(searcher, 1)]).toEqual([false, true]);
    searcher.search('nothing');
    expect([isFound(searcher, 0), isFound(searcher, 1)]).toEqual([false, false]);
  });

  it('lists the groups found in ascending order, whatever order they occur in', () => {
    const found = (searcher: LiteralSearcher): number[] => Array.from({ length: searcher.foundCount() }, (_, i) => searcher.foundGroup(i));
    const few = new LiteralSearcher(['d', 'c', 'b', 'a', 'zz'], [3, 2, 1, 0, 4], 5);
    few.search('dcba');
    expect(found(few)).toEqual([0, 1, 2, 3]);
    few.search('b');
    expect(found(few)).toEqual([1]);
    few.search('none here');
    expect(found(few)).toEqual([]);
    // More than the insertion-sort limit, in descending order of occurrence.
    const words = Array.from({ length: 40 }, (_, i) => `w${String(i).padStart(2, '0')}.`);
    const many = new LiteralSearcher(words, words.map((_, i) => i), words.length);
    many.search([...words].reverse().join(' ') + ' w07.');
    expect(found(many)).toEqual(words.map((_, i) => i));
  });

  it('leaves a group without literals never found', () => {
    const searcher = new LiteralSearcher(['foo'], [1], 2);
    searcher.search('foo');
    expect([isFound(searcher, 0), isFound(searcher, 1)]).toEqual([false, true]);
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
          expect(isFound(searcher, g), `${JSON.stringify(literals)} / ${JSON.stringify(value)} / group ${g}`).toBe(expected);
        }
      }
    }
  });

  describe('two streams over long values', () => {
    // Longest literals of 1, 2, 8 and 33 bytes: overlaps of 0, 1, 7 and 32 bytes, so two streams
    // from 64 bytes on for the first three sets and from 128 bytes on for the last.
    const sets: readonly (readonly string[])[] = [
      ['q'],
      ['qz', 'k'],
      ['qwertyui', 'kj', 'abcab'],
      ['abcdefghijklmnopqrstuvwxyzabcdefg', 'mnop', 'zz', 'qx'],
    ];
    // Around both thresholds, odd and even, and long.
    const lengths = [1, 2, 8, 31, 33, 34, 63, 64, 65, 66, 127, 128, 129, 130, 131, 200, 257, 1000, 1001];
    const SENTINEL = '|';

    it('finds each literal at every position: across the split, at the very start and the very end', () => {
      const wrong: string[] = []; // collected, so that thousands of cases cost one assertion
      for (const literals of sets) {
        const longest = Math.max(...literals.map((l) => l.length));
        const all = [...literals, SENTINEL];
        // One group per literal, plus the sentinel's group last.
        const perLiteral = new LiteralSearcher(all, [...all.keys()], all.length);
        // All literals in group 0, the sentinel in group 1: a literal seen by both streams (in the
        // overlap) must count group 0 found once, or the search stops before the sentinel.
        const twoGroups = new LiteralSearcher(all, [...literals.map(() => 0), 1], 2);
        for (const literal of literals) {
          for (const length of lengths) {
            // Every position in short values; in long ones, both ends and around the middle (where
            // any split of the value lies, with room for the overlap).
            for (let at = 0; at + literal.length <= length; at++) {
              const nearMiddle = Math.abs(at + literal.length / 2 - length / 2) <= 3 * longest + 4;
              const nearEnd = at < 3 * longest || at + literal.length > length - 3 * longest;
              if (length > 300 && !nearMiddle && !nearEnd) continue;
              const placed = at % 2 === 0 ? literal : literal.toUpperCase();
              const rest = length - at - literal.length;
              // The sentinel in the last byte when there is room for it.
              const value = '-'.repeat(at) + placed + (rest > 0 ? '-'.repeat(rest - 1) + SENTINEL : '');
              const folded = foldAZ(value);
              const expected = all.map((l) => folded.includes(foldAZ(l)));
              perLiteral.search(value);
              twoGroups.search(value);
              const got = all.map((_, g) => isFound(perLiteral, g));
              if (
                value.length !== length ||
                !expected[literals.indexOf(literal)] ||
                got.join() !== expected.join() ||
                !isFound(twoGroups, 0) ||
                isFound(twoGroups, 1) !== rest > 0
              ) {
                wrong.push(`${JSON.stringify(literal)} at ${at} of ${length}`);
              }
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('finds a literal that overlaps a partial match of a longer one across the split', () => {
      // "abcab" inside a run of "abcabcab…": the automaton has to fall back through failure links
      // right at the start of the second stream.
      for (const length of [64, 65, 99, 100, 1000, 1001]) {
        const value = 'abc'.repeat(Math.ceil(length / 3)).slice(0, length);
        expect(foundIn(['abcab', 'bcabc', 'cabca', 'abcd', 'x'], value)).toEqual(['abcab', 'bcabc', 'cabca']);
      }
    });

    it('stops early only when every group is found, whichever stream finds them', () => {
      const literals = ['first', 'middle', 'last'];
      const searcher = new LiteralSearcher(literals, [0, 1, 2], 3);
      for (const length of [63, 64, 200, 1001]) {
        const gap = length - 'firstmiddlelast'.length;
        const left = Math.floor(gap / 2);
        const value = 'first' + '.'.repeat(left) + 'middle' + '.'.repeat(gap - left) + 'last';
        searcher.search(value);
        expect([0, 1, 2].map((g) => isFound(searcher, g))).toEqual([true, true, true]);
        searcher.search(value.slice(0, -1));
        expect([0, 1, 2].map((g) => isFound(searcher, g))).toEqual([true, true, false]);
      }
    });

    it('agrees with a naive search on random long values', () => {
      const prng = new Prng(20240601);
      const alphabet = ['a', 'b', 'A', 'B', 'c', 'C', '-', '\xe1', '\xc1', '\x80', '\xff', '"'];
      const text = (length: number): string => Array.from({ length }, () => prng.pick(alphabet)).join('');
      // Flips the case of some ASCII letters only.
      const scramble = (literal: string): string =>
        literal.replace(/[a-zA-Z]/g, (c) => (prng.chance(0.5) ? String.fromCharCode(c.charCodeAt(0) ^ 0x20) : c));
      for (let round = 0; round < 400; round++) {
        const longest = prng.pick([1, 2, 3, 5, 8, 16, 24, 40]);
        const literals = Array.from({ length: prng.int(1, 10) }, () => text(prng.int(1, longest)));
        const groups = prng.int(1, 6);
        const groupOf = literals.map(() => prng.int(0, groups - 1));
        const searcher = new LiteralSearcher(literals, groupOf, groups);
        for (let k = 0; k < 10; k++) {
          // Lengths on both sides of both thresholds (64 bytes, 4 × overlap), and some long ones.
          const length = prng.chance(0.2) ? prng.int(300, 3000) : prng.int(0, Math.max(4 * longest, 64) + 40);
          let value = '';
          // Random text with some literals pasted in, so long literals occur too.
          while (value.length < length) {
            value += prng.chance(0.3) ? scramble(prng.pick(literals)) : text(prng.int(1, 2 * longest + 10));
          }
          value = value.slice(0, length);
          searcher.search(value);
          const folded = foldAZ(value);
          for (let g = 0; g < groups; g++) {
            const expected = literals.some((l, i) => groupOf[i] === g && folded.includes(foldAZ(l)));
            expect(isFound(searcher, g), `${JSON.stringify(literals)} / ${JSON.stringify(value)} / group ${g}`).toBe(expected);
          }
        }
      }
    });
  });
});
