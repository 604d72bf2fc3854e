// osmatch, the default pattern language of <match> and most static fields: `|`-separated literal
// pieces with optional `^`/`$` anchors and an optional leading `!`, ASCII case-insensitive
// (rule-language.md §4.1).
//
// §4.1 advises against RegExp because the `i` flag and unescaped metacharacters get it wrong. The
// pieces are compiled into one flag-less RegExp whose bytes are all escaped and whose case folding is
// spelled out per ASCII letter, which keeps it exact (osmatch.tsv checks it) and lets V8 skip through
// long values: a substring search over a 2 KB log is ~10× faster than a char-code loop.
import type { ByteString } from '../../bytes.js';
import { foldedLiteralSource } from './byte-regexp.js';
import { exactMatcher, exactValues } from './exact-match.js';
import type { Matcher } from './matcher.js';

const CARET = 0x5e;
const DOLLAR = 0x24;
const BANG = 0x21;
const HIGH_BYTE = /[\x80-\xff]/;

export function compileOsMatch(pattern: ByteString): Matcher {
  const exact = exactValues('osmatch', pattern);
  if (exact !== undefined) return exactMatcher(exact);
  // §4.1: a leading `!` inverts the result inside the matcher (`negate` applies on top, elsewhere).
  const inverted = pattern.charCodeAt(0) === BANG;
  const alternatives: string[] = [];
  // §4.1: split on every `|`; there is no escape for it.
  for (const piece of (inverted ? pattern.slice(1) : pattern).split('|')) {
    const source = pieceSource(piece);
    if (source === '') return { test: () => !inverted }; // an always-true piece
    if (source !== undefined) alternatives.push(source);
  }
  if (alternatives.length === 0) return { test: () => inverted };
  const regexp = new RegExp(alternatives.join('|'));
  return { test: (value: ByteString): boolean => regexp.test(value) !== inverted };
}

/** One `|` piece split into its anchors and text (§4.1: `^`/`$` only count at the very ends). */
export function osMatchPiece(piece: ByteString): { readonly starts: boolean; readonly ends: boolean; readonly text: ByteString } {
  const starts = piece.charCodeAt(0) === CARET;
  const ends = piece.length > (starts ? 1 : 0) && piece.charCodeAt(piece.length - 1) === DOLLAR;
  return { starts, ends, text: piece.slice(starts ? 1 : 0, ends ? -1 : piece.length) };
}

/** RegExp source for one piece; '' when it is always true, undefined when it never matches. */
function pieceSource(piece: ByteString): string | undefined {
  const { starts, ends, text } = osMatchPiece(piece);
  if (starts && ends) return `^${foldedLiteralSource(text)}$`; // `^$` matches only ""
  if (text === '') return ''; // empty piece, lone `^`, lone `$`
  if (starts) return `^${foldedLiteralSource(text)}`;
  if (ends) return `${foldedLiteralSource(text)}$`;
  // §4.1 quirk (signed char): a substring piece with a byte ≥ 0x80 never matches.
  return HIGH_BYTE.test(text) ? undefined : foldedLiteralSource(text);
}
