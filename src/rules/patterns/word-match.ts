// OS_WordMatch, the matcher behind `if_group` (rule-language.md §4.2): `|`-separated pieces, each an
// ASCII case-insensitive prefix test (`^piece`) or substring test. Unlike osmatch there is no `$`,
// no `!`, and non-ASCII bytes compare normally. Compiled like osmatch into one exact RegExp.
import type { ByteString } from '../../bytes.js';
import { foldedLiteralSource } from './byte-regexp.js';
import type { Matcher } from './matcher.js';

const CARET = 0x5e;

export function compileWordMatch(pattern: ByteString): Matcher {
  // §4.2: an empty pattern never matches.
  if (pattern === '') return { test: () => false };
  const alternatives = pattern
    .split('|')
    .map((piece) => (piece.charCodeAt(0) === CARET ? `^${foldedLiteralSource(piece.slice(1))}` : foldedLiteralSource(piece)));
  return new RegExp(alternatives.join('|'));
}
