// `$NAME` substitution in rule-file text and attribute values, with Wazuh's exact quirks
// (rule-language.md §1.1; os_xml_variables.c, OS_ApplyVariables).
import type { ByteString } from '../bytes.js';
import { asciiLower } from './ascii-lower.js';

/** Longest variable name os_xml accepts. */
const MAX_NAME = 255;

/** An unknown `$NAME` or an over-long name: a fatal XML error in Wazuh. */
export class XmlVariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlVariableError';
  }
}

function isTerminator(code: number): boolean {
  // §1.1: a name ends at `$`, `.`, `|`, `,` or space (NUL cannot occur in a JS string we built).
  return code === 0x24 || code === 0x2e || code === 0x7c || code === 0x2c || code === 0x20;
}

/**
 * Replaces every `$NAME` in `text` by the variable's value. `vars` maps ASCII-lower-cased names to
 * values. Strings of 2 bytes or less are left alone. A `$` directly before a terminator stays as
 * is, and so does a `$(…` token (it keeps `$(field)` in descriptions intact) — but, as in Wazuh,
 * each skipped `$(…` token makes later replacements in the same string land too early by the
 * token's length (§1.1 "known bug"), which we replicate rather than silently fix.
 */
export function substituteVariables(text: ByteString, vars: ReadonlyMap<string, ByteString>): ByteString {
  if (text.length <= 2 || !text.includes('$')) return text;
  let out = text;
  // `write` is where os_xml believes the output has reached; it lags behind after a skipped `$(`.
  let write = 0;
  let p = 0;
  while (p < text.length) {
    if (text.charCodeAt(p) !== 0x24) {
      p++;
      write++;
      continue;
    }
    const start = ++p;
    while (p < text.length && !isTerminator(text.charCodeAt(p))) {
      if (p - start >= MAX_NAME) throw new XmlVariableError('Invalid variable size.');
      p++;
    }
    const name = text.slice(start, p);
    const value = vars.get(asciiLower(name));
    if (value !== undefined) {
      out = out.slice(0, write) + value + text.slice(p);
      write += value.length;
    } else if (name === '') {
      write++; // the lone `$` is kept and counted
    } else if (name.charCodeAt(0) !== 0x28) {
      throw new XmlVariableError(`Unknown variable: ${name}`);
    }
    // A skipped `$(…` token is kept in `out` but `write` does not advance over it (the quirk).
  }
  return out;
}
