// osregex, the default language of <regex> and <field>: a faithful port of Wazuh's OS_Regex compiler
// and matcher (rule-language.md §4.3, Appendix A). OS_Regex is not a backtracking regex engine; its
// quirks (lazy hand-over, 4 resume points, `)(`) are part of the language. The port is the reference.
// Alternatives in the subset that §4.3 proves RegExp-exact also get a RegExp fast path (V8 scans long
// values several times faster); the conformance tests run every vector through both.
import type { ByteString } from '../../bytes.js';
import { byteSetSource, foldedLiteralSource, NO_BYTE } from './byte-regexp.js';
import { exactMatcher, exactValues } from './exact-match.js';
import { type Matcher, PatternError } from './matcher.js';

// Token stream (Appendix A, Compile step 2). Literals are their (lowercased) byte value. A CLASS
// token takes two slots: the marker, then the class's offset into CLASS_MEMBERS; offsets start at
// 256 so a class slot can never be mistaken for a literal or a marker.
export const EOP = -1; // end of the alternative
export const NEVER = -2; // a literal byte ≥ 0x80: equals no input byte (§4.3 signed-char quirk)
export const CLASS = -3;
// `(` and `)` both become PAREN. It deliberately has the code of `(`, because the matcher's literal
// comparison then accepts a `(` input byte for it: the `)(` quirk of §4.3.
export const PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const PLUS = 0x2b;
const STAR = 0x2a;
const CARET = 0x5e;
const DOLLAR = 0x24;
const PIPE = 0x7c;
const BACKSLASH = 0x5c;

/** §4.3: patterns longer than this are rejected. */
const MAX_PATTERN_BYTES = 20_480;
/** Appendix A step 5: EOP padding so the matcher's look-ahead reads stay inside the array. */
const EOP_PADDING = 4;
/** Appendix A: the matcher keeps at most this many resume points. */
const SLOT_COUNT = 4;

/** The escape classes of §4.3, by the byte that follows `\`, each as the set of bytes it matches. */
const CLASS_DEFINITIONS: ReadonlyArray<readonly [escape: string, member: (b: number) => boolean]> = (() => {
  const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
  const isWord = (b: number): boolean =>
    isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d || b === 0x40;
  const PUNCT = new Set(Array.from('!"#$%&\'()*+,-.:;<=>?[]{|}', (c) => c.charCodeAt(0)));
  const only = (c: string) => (b: number): boolean => b === c.charCodeAt(0);
  return [
    ['d', isDigit],
    ['D', (b) => !isDigit(b)],
    ['w', isWord],
    ['W', (b) => !isWord(b)],
    ['s', only(' ')],
    ['S', (b) => b !== 0x20],
    ['p', (b) => PUNCT.has(b)],
    ['.', () => true],
    ['t', only('\t')],
    ['(', only('(')],
    [')', only(')')],
    ['\\', only('\\')],
    ['$', only('$')],
    ['|', only('|')],
    ['<', only('<')],
  ];
})();

/** Byte after `\` → class offset (0 = not a valid escape). */
const CLASS_BY_ESCAPE = new Int32Array(256);
/** CLASS_MEMBERS[offset + byte] is 1 when the class at `offset` contains `byte`. */
const CLASS_MEMBERS = new Uint8Array(256 * (CLASS_DEFINITIONS.length + 1));
CLASS_DEFINITIONS.forEach(([escape, member], index) => {
  const offset = 256 * (index + 1);
  CLASS_BY_ESCAPE[escape.charCodeAt(0)] = offset;
  for (let b = 0; b < 256; b++) CLASS_MEMBERS[offset + b] = member(b) ? 1 : 0;
});

/** Byte → byte with A–Z lowercased: the matcher's `lc()` (ASCII only, §3.9). */
const LOWER = new Uint8Array(256).map((_, b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));

export const isQuantifier = (token: number): boolean => token === PLUS || token === STAR;
/** `P[i]` of the pseudo-code; reads past the padding behave as EOP. */
const at = (tokens: Int32Array, i: number): number => tokens[i] ?? EOP;
const inClass = (classOffset: number, b: number): boolean => CLASS_MEMBERS[classOffset + b] === 1;

/** One top-level alternative, compiled (Appendix A steps 3–5). */
export interface Alternative {
  readonly tokens: Int32Array;
  /** Started with `^`. */
  readonly begin: boolean;
  /** Ended with a literal `$`. */
  readonly end: boolean;
}

export function compileOsRegex(pattern: ByteString): Matcher {
  const alternatives = osRegexAlternatives(pattern); // validates, even when the pattern is exact
  const exact = exactValues('osregex', pattern);
  if (exact !== undefined) return exactMatcher(exact);
  const sources: string[] = [];
  const ported: Alternative[] = [];
  for (const alternative of alternatives) {
    const source = exactRegExpSource(alternative);
    if (source === undefined) ported.push(alternative);
    else sources.push(source);
  }
  if (sources.length === 0) return portMatcher(ported);
  // A pattern matches when any alternative does, so splitting them between the two paths is safe.
  const regexp = new RegExp(sources.join('|'));
  if (ported.length === 0) return regexp;
  const port = portMatcher(ported);
  return { test: (value: ByteString): boolean => regexp.test(value) || port.test(value) };
}

/** The port alone, without the RegExp fast path: the reference the conformance tests also run. */
export function compileOsRegexReference(pattern: ByteString): Matcher {
  return portMatcher(osRegexAlternatives(pattern));
}

/** The compiled alternatives (Appendix A steps 1–5), for analyses outside the matcher (literal prefilters). */
export function osRegexAlternatives(pattern: ByteString): Alternative[] {
  return tokenize(pattern).map(toAlternative);
}

function portMatcher(alternatives: readonly Alternative[]): Matcher {
  return {
    test(value: ByteString): boolean {
      for (const alternative of alternatives) {
        if (matchAlternative(alternative, value)) return true;
      }
      return false;
    },
  };
}

/** Appendix A steps 1–3: the token arrays of the top-level alternatives. Error offsets are 0-based. */
function tokenize(pattern: ByteString): number[][] {
  if (pattern.length > MAX_PATTERN_BYTES) {
    throw new PatternError(`osregex pattern is ${pattern.length} bytes; the limit is ${MAX_PATTERN_BYTES}`);
  }
  const alternatives: number[][] = [];
  let tokens: number[] = [];
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const b = pattern.charCodeAt(i);
    if (b === BACKSLASH) {
      if (i + 1 === pattern.length) throw new PatternError(`trailing \\ at byte ${i}`);
      const offset = CLASS_BY_ESCAPE[pattern.charCodeAt(i + 1)] ?? 0;
      if (offset === 0) throw new PatternError(`unknown escape \\${pattern[i + 1]} at byte ${i}`);
      tokens.push(CLASS, offset);
      i++;
    } else if (b === PAREN || b === CLOSE_PAREN) {
      // §4.3: one level of groups only, and they must balance.
      depth += b === PAREN ? 1 : -1;
      if (depth > 1) throw new PatternError(`nested ( at byte ${i}: osregex allows one level of groups`);
      if (depth < 0) throw new PatternError(`unbalanced ) at byte ${i}`);
      tokens.push(PAREN);
    } else if (b === PIPE) {
      if (depth > 0) throw new PatternError(`| inside a group at byte ${i}`);
      alternatives.push(tokens);
      tokens = [];
    } else {
      tokens.push(b >= 0x80 ? NEVER : (LOWER[b] ?? b));
    }
  }
  if (depth > 0) throw new PatternError('unclosed ( at the end of the pattern');
  alternatives.push(tokens);
  return alternatives;
}

/** Appendix A steps 4–5: strip the anchors and pad with EOP. */
function toAlternative(tokens: number[]): Alternative {
  const begin = tokens[0] === CARET;
  const body = begin ? tokens.slice(1) : tokens;
  // The last slot can only equal `$` when it is a literal token: class slots are ≥ 256.
  const end = body[body.length - 1] === DOLLAR;
  const kept = end ? body.length - 1 : body.length;
  const array = new Int32Array(kept + EOP_PADDING).fill(EOP);
  for (let i = 0; i < kept; i++) array[i] = body[i] ?? EOP;
  return { tokens: array, begin, end };
}

/**
 * The RegExp equivalent of an alternative inside the exact subset of §4.3, else undefined. The subset:
 * literals and unquantified classes, optionally ending in one quantified class when there is no `$`
 * anchor; never a bare `$`, never two PAREN tokens in a row (`)(` and `()` compare a literal `(`).
 * Parentheses only mark captures there, so they are dropped.
 */
function exactRegExpSource({ tokens: P, begin, end }: Alternative): string | undefined {
  let source = '';
  for (let i = 0, afterParen = false; at(P, i) !== EOP; ) {
    const token = at(P, i);
    if (token === PAREN && afterParen) return undefined;
    afterParen = token === PAREN;
    if (token === PAREN) {
      i++;
    } else if (token === CLASS) {
      const offset = at(P, i + 1);
      source += byteSetSource(CLASS_MEMBERS.subarray(offset, offset + 256));
      i += 2;
      if (isQuantifier(at(P, i))) {
        // Only as the very last token (a closing PAREN aside) and without `$`.
        const last = at(P, i + 1) === PAREN ? i + 2 : i + 1;
        if (end || at(P, last) !== EOP) return undefined;
        source += at(P, i) === PLUS ? '+' : '*';
        i++;
      }
    } else {
      source += token === NEVER ? NO_BYTE : foldedLiteralSource(String.fromCharCode(token));
      i++;
    }
  }
  if (end && source === '' && !begin) return undefined; // bare `$` matches only "" (§4.3)
  return `${begin ? '^' : ''}${source}${end ? '$' : ''}`;
}

// Resume points (Appendix A "slots"): pattern position and input position. Matching is synchronous
// and never re-entered, so one module-level scratch buffer serves every call without allocating.
const slotPattern = new Int32Array(SLOT_COUNT);
const slotInput = new Int32Array(SLOT_COUNT);

/**
 * Appendix A "Execute", statement for statement. The pseudo-code's `P[i]` is `at(P, i)`; `continue`
 * moves on to the next input byte. Do not "simplify": the odd-looking steps are the C behaviour.
 */
function matchAlternative({ tokens: P, begin, end }: Alternative, value: ByteString): boolean {
  slotPattern.fill(-1);
  let saved = 0; // non-empty slots, so that a plain mismatch skips the slot scan
  let p = 0;
  let rc = true;
  let g = false;
  let start = -1;
  for (let s = 0; s < value.length; s++) {
    const b = value.charCodeAt(s);
    if (at(P, p) === EOP) {
      if (!end) return rc;
    } else if (at(P, p) === PAREN) {
      p++;
      if (at(P, p) === EOP && !end) return rc;
    }
    if (at(P, p) === CLASS) {
      if (inClass(at(P, p + 1), b)) {
        let q = p + 2;
        if (!isQuantifier(at(P, q))) {
          p = q;
          if (start < 0) start = s;
          rc = true;
          continue;
        }
        if (at(P, q) === STAR) g = true;
        if (g) {
          // Lazy hand-over: give the byte to the next element as soon as it fits.
          q++;
          if (at(P, q) === PAREN) q++;
          const next = at(P, q);
          let advance = -1;
          if (next === EOP) advance = 1;
          else if (next === CLASS) {
            if (inClass(at(P, q + 1), b)) advance = isQuantifier(at(P, q + 2)) ? 0 : 2;
          } else if (next === LOWER[b]) {
            g = false;
            advance = 1;
          }
          if (advance >= 0) {
            if (next === EOP) continue;
            q += advance;
            const free = slotPattern.indexOf(-1); // lowest empty slot; the point is dropped if none
            if (free >= 0) {
              slotPattern[free] = p;
              slotInput[free] = s;
              saved++;
            }
            p = q;
          }
        } else {
          g = true;
        }
        rc = true;
        continue;
      } else if ((at(P, p + 2) === EOP || at(P, p + 3) === EOP) && g && rc) {
        if (!end) return true;
      } else if (at(P, p + 2) === PLUS && g) {
        p += 3;
        s--;
        g = false;
        continue;
      } else if (at(P, p + 2) === STAR) {
        p += 3;
        s--;
        rc = true;
        g = false;
        continue;
      }
      g = false;
    } else if (at(P, p) === LOWER[b]) {
      p++;
      if (start < 0) start = s;
      rc = true;
      continue;
    }
    // Failure: resume from the newest saved point, else restart after the attempt's first byte.
    if (saved > 0) {
      let slot = SLOT_COUNT - 1;
      while ((slotPattern[slot] ?? 0) < 0) slot--;
      p = slotPattern[slot] ?? 0;
      s = slotInput[slot] ?? 0;
      slotPattern[slot] = -1;
      saved--;
      continue;
    }
    if (begin) return false;
    if (start >= 0) {
      s = start;
      start = -1;
    }
    p = 0;
    rc = false;
  }
  // Input exhausted: one cursor, advanced in place through the three tests of Appendix A.
  let c = p;
  if (at(P, c) === PAREN) c++;
  if (at(P, c) === EOP) return rc;
  if (at(P, c) === CLASS && g) {
    c += 2;
    if (isQuantifier(at(P, c))) {
      c++;
      if (at(P, c) === PAREN) c++;
      if (at(P, c) === EOP) return rc;
      if (at(P, c) === CLASS) {
        c += 2;
        if (at(P, c) === STAR) {
          c++;
          if (at(P, c) === PAREN) c++;
          if (at(P, c) === EOP) return rc;
        }
      }
    }
  }
  if (at(P, c) === CLASS) {
    c += 2;
    if (at(P, c) === STAR) {
      c++;
      if (at(P, c) === PAREN) c++;
      if (at(P, c) === EOP) return rc;
    }
  }
  return false;
}
