// Patterns that accept only whole values — osmatch `^a$|^b$`, osregex `^literal$` — compared as
// strings instead of run as a RegExp. Such `<field>` conditions are most of a CloudTrail ruleset
// (`<field name="aws.eventName">^DeleteTrail$</field>`), and a comparison rejects a value of another
// length at once. The rule tree also indexes children by these values (rule-tree.ts).
import type { ByteString } from '../../bytes.js';
import type { Matcher } from './matcher.js';

/** osregex literal bytes that stand for themselves: printable ASCII but `(`, `)`, `\` and `|`. */
const PLAIN_OSREGEX = /^[\x20-\x27\x2a-\x5b\x5d-\x7b\x7d\x7e]*$/;

/**
 * The values a pattern can equal (as written; equality ignores ASCII case) when it only accepts
 * exact strings, or undefined. osmatch `^a$|^b$` and osregex `^literal$` alternatives qualify.
 */
export function exactValues(type: 'osmatch' | 'osregex', pattern: ByteString): ByteString[] | undefined {
  if (type === 'osmatch' && pattern.startsWith('!')) return undefined;
  const values: ByteString[] = [];
  for (const piece of pattern.split('|')) {
    if (piece.length < 2 || !piece.startsWith('^') || !piece.endsWith('$')) return undefined;
    const text = piece.slice(1, -1);
    // osregex: only plain ASCII literals (no escapes, groups or non-ASCII "never" bytes).
    if (type === 'osregex' && !PLAIN_OSREGEX.test(text)) return undefined;
    values.push(text);
  }
  return values;
}

/** Matches a value equal to one of `values`, ignoring ASCII case only (§3.9). */
export function exactMatcher(values: readonly ByteString[]): Matcher {
  return {
    test(value: ByteString): boolean {
      for (const written of values) {
        if (value === written || equalsIgnoringAsciiCase(value, written)) return true;
      }
      return false;
    },
  };
}

function equalsIgnoringAsciiCase(a: ByteString, b: ByteString): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const lower = x | 0x20;
    // Only a letter pair that differs in the 0x20 bit alone is the same letter in another case.
    if (lower !== (y | 0x20) || lower < 0x61 || lower > 0x7a) return false;
  }
  return true;
}
