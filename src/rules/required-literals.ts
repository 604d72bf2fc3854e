// Derives, at load time, literals a pattern cannot match without: one of them occurs (ASCII case
// ignored) in every value the pattern matches. A node uses them to skip, in bulk, children that
// provably fail (literal-prefilter.ts). Only what §4.1/§4.3 and Appendix A guarantee is derived.
import type { ByteString } from '../bytes.js';
import { asciiLower } from './ascii-lower.js';
import { osMatchPiece } from './patterns/osmatch.js';
import { CLASS, EOP, isQuantifier, NEVER, osRegexAlternatives, PAREN } from './patterns/osregex.js';
import type { PatternType } from './patterns/pattern.js';

const BANG = 0x21;
const HIGH_BYTE = /[\x80-\xff]/;

/**
 * Lower-cased literals such that every value `pattern` matches contains one of them (ASCII case
 * ignored); undefined when no such set can be proven. An empty array means the pattern matches
 * nothing at all. `pattern` must have compiled (this does not validate it).
 */
export function requiredLiterals(type: PatternType, pattern: ByteString): ByteString[] | undefined {
  if (type === 'osmatch') return osMatchLiterals(pattern);
  if (type === 'osregex') return osRegexLiterals(pattern);
  return undefined; // pcre2 and string are not analysed
}

/** §4.1: the result is "some piece is true", so every piece must bring a literal. */
function osMatchLiterals(pattern: ByteString): ByteString[] | undefined {
  // A leading `!` inverts the matcher: a match then needs the *absence* of text.
  if (pattern.charCodeAt(0) === BANG) return undefined;
  const literals = new Set<ByteString>();
  for (const piece of pattern.split('|')) {
    const { starts, ends, text } = osMatchPiece(piece);
    // Empty piece, lone `^`/`$` (always true), `^$` (true for ""): nothing to require.
    if (text === '') return undefined;
    // Signed-char quirk: a substring piece with a byte ≥ 0x80 never matches, so it adds nothing.
    if (!starts && !ends && HIGH_BYTE.test(text)) continue;
    // Anchored or not, the piece's text must occur somewhere in the value.
    literals.add(asciiLower(text));
  }
  return [...literals];
}

/** §4.3: the pattern matches when some alternative does, so every live alternative must bring one. */
function osRegexLiterals(pattern: ByteString): ByteString[] | undefined {
  const literals = new Set<ByteString>();
  for (const { tokens } of osRegexAlternatives(pattern)) {
    const run = longestLiteralRun(tokens);
    if (run === undefined) return undefined;
    if (run !== DEAD) literals.add(run);
  }
  return [...literals];
}

/** An alternative that can never match: a NEVER literal it must consume. */
const DEAD = null;

/**
 * The longest run of literal tokens of one alternative that any match must consume as consecutive
 * input bytes; undefined when there is none, DEAD when the alternative can never match.
 *
 * Why this holds for OS_Regex (Appendix A), which is not a backtracking engine: the pattern cursor
 * passes a literal token only by comparing it equal to the current (lower-cased) input byte and
 * moving to the next byte; every other move (class, quantifier skip, PAREN skip, saved resume
 * points, restart at 0) lands on a class, after a class, or at 0, never inside a literal run. A run
 * may span a single PAREN, which is skipped without reading input. Exceptions, left out:
 * * `)(` (two PAREN tokens) compares a literal `(`: it ends the run;
 * * after a class mismatch, "(P[p+2] is EOP or P[p+3] is EOP) and g and rc" accepts without
 *   reading P[p+2]: a last token right after a class is not necessary (e.g. `\d+\d\wa` matches `12!`).
 */
function longestLiteralRun(tokens: Int32Array): ByteString | typeof DEAD | undefined {
  let end = 0;
  while (tokens[end] !== EOP) end++;
  const skippable = end >= 3 && tokens[end - 3] === CLASS ? end - 1 : -1;
  let best = '';
  let run = '';
  for (let i = 0; i < end; ) {
    const token = tokens[i] as number;
    if (token === CLASS) {
      // A `+`/`*` right after a class is its quantifier, never a literal.
      i += isQuantifier(tokens[i + 2] as number) ? 3 : 2;
      run = '';
    } else if (token === PAREN) {
      const double = tokens[i + 1] === PAREN;
      if (double) run = '';
      i += double ? 2 : 1;
    } else if (i === skippable) {
      break;
    } else if (token === NEVER) {
      return DEAD;
    } else {
      run += String.fromCharCode(token);
      if (run.length > best.length) best = run;
      i++;
    }
  }
  return best === '' ? undefined : best;
}
