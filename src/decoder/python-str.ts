// Python 3's `str()` of a value that `json.load` produced. The AWS module wraps a non-object
// requestParameters / responseElements / additionalEventData as `{"string": str(v)}`
// (rule-language.md §11.3), so rules see Python's spelling: `['a', 'b']`, `True`, `None`.
import { forEachMember } from './json-text.js';

/** `str(v)`: a string is itself; anything else is its `repr`. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'string':
      return reprString(value);
    case 'number':
      return reprNumber(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
      const members: string[] = [];
      forEachMember(value, (key, member) => members.push(`${reprString(key)}: ${pythonRepr(member)}`));
      return `{${members.join(', ')}}`;
    }
    default:
      throw new TypeError(`Not a JSON value: ${typeof value}.`);
  }
}

/**
 * `json.load` gives an int for an integer literal and a float otherwise. After `JSON.parse` the two
 * cannot be told apart, so integral values print as ints (`1.0` in the log prints `1`, not `1.0`).
 */
function reprNumber(v: number): string {
  if (Number.isInteger(v)) return BigInt(v).toString();
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  // float.__repr__: the shortest digits that read back (JS picks the same ones), positional for
  // decimal exponents -4…15, else scientific with a signed exponent of at least two digits. A
  // non-integral double is below 2^52, so only the small end of that range can be passed.
  const [mantissa = '', exponent = '0'] = v.toExponential().split('e');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp10 = Number(exponent);
  const sign = v < 0 ? '-' : '';
  if (exp10 < -4) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e-${String(-exp10).padStart(2, '0')}`;
  }
  if (exp10 < 0) return `${sign}0.${'0'.repeat(-exp10 - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp10 + 1).padEnd(exp10 + 1, '0')}.${digits.slice(exp10 + 1) || '0'}`;
}

// Python's str.isprintable() is false for these general categories (space excepted, but it is ASCII).
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `repr(str)`: single quotes unless the text has `'` and no `"`; non-printables escaped by size. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) out += named;
    else if (ch === quote) out += `\\${ch}`;
    else if ((code >= 0x20 && code < 0x7f) || (code > 0x7f && !NOT_PRINTABLE.test(ch))) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
