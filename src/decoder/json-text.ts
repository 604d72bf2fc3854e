// JSON text as Wazuh's json decoder sees it through cJSON 1.7.x (rule-language.md §7.1–7.2): an
// order-preserving, duplicate-keeping reader over byte strings, and cJSON's pretty printer for the
// array fields. `JSON.parse` cannot stand in: it drops duplicate keys and moves integer-like keys first.
import type { ByteString } from '../bytes.js';
import { toBytes } from '../bytes.js';
import { formatCjsonNumber } from './c-number-format.js';

/**
 * A JSON object kept as its members in document order, duplicates included. Trees mix these with
 * plain JS values: strings, numbers, booleans, null, arrays, and (for trees that come from
 * `JSON.parse`) plain objects.
 */
export class JsonObject<V = unknown> {
  constructor(readonly entries: Array<[key: string, value: V]>) {}
}

/** What `parseJsonText` returns: strings and keys are byte strings already cut at their first NUL. */
export type JsonValue = ByteString | number | boolean | null | JsonValue[] | JsonObject<JsonValue>;

/** How a tree's strings and keys become the C byte strings Wazuh compares (values end at a NUL, §7.2). */
export type StringEncoding = (text: string) => ByteString;

/** For trees from `parseJsonText`: their strings are byte strings already. */
export const bytesAsIs: StringEncoding = (text) => text;

const NUL_OR_NON_ASCII = /[\0\x80-\uffff]/;

/** For trees from `JSON.parse`: UTF-16 to UTF-8 bytes, cut at the first NUL (`"\u0000"` ends a C string). */
export const utf16ToCString: StringEncoding = (text) => {
  if (!NUL_OR_NON_ASCII.test(text)) return text;
  const nul = text.indexOf('\0');
  return toBytes(nul < 0 ? text : text.slice(0, nul));
};

/** Visits an object's members in order: a `JsonObject`'s entries, or a plain object's own keys. */
export function forEachMember(obj: object, visit: (key: string, value: unknown) => void): void {
  if (obj instanceof JsonObject) {
    for (const [key, value] of obj.entries) visit(key, value);
    return;
  }
  const record = obj as Record<string, unknown>;
  for (const key of Object.keys(record)) visit(key, record[key]);
}

// ---- reading -----------------------------------------------------------------------------------

export type JsonParseResult =
  | { readonly ok: true; readonly value: JsonValue; /** Offset just after the value. */ readonly end: number }
  | { readonly ok: false; /** Roughly where cJSON gave up. */ readonly offset: number };

/** cJSON's CJSON_NESTING_LIMIT: deeper arrays/objects are a parse failure. */
const MAX_NESTING = 1000;

/**
 * Parses the first JSON value of `text` (a byte string; it ends at its first NUL, like the C string
 * cJSON gets). Leading bytes ≤ 0x20 are skipped; whatever follows the value is ignored (§7.1).
 */
export function parseJsonText(text: ByteString): JsonParseResult {
  const nul = text.indexOf('\0');
  const reader = new Reader(nul < 0 ? text : text.slice(0, nul));
  try {
    reader.skipSpace();
    const value = reader.value(0);
    return { ok: true, value, end: reader.pos };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, offset: error.offset };
    throw error;
  }
}

/** Internal: unwinds the recursive descent to `parseJsonText`. */
class ParseFailure {
  constructor(readonly offset: number) {}
}

// Longest prefix C strtod accepts from the characters cJSON gathers for a number. Only digits,
// sign, point and exponent letters are gathered, so "-inf" or hex never get this far.
const NUMBER_CHARS = /[0-9eE.+-]*/y;
const STRTOD_PREFIX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '/': '/',
};

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  /** cJSON treats every byte ≤ 0x20 (control bytes included) as white space. */
  skipSpace(): void {
    while (this.pos < this.text.length && this.text.charCodeAt(this.pos) <= 0x20) this.pos++;
  }

  value(depth: number): JsonValue {
    const { text, pos } = this;
    if (text.startsWith('null', pos)) return this.literal(4, null);
    if (text.startsWith('false', pos)) return this.literal(5, false);
    if (text.startsWith('true', pos)) return this.literal(4, true);
    const c = text[pos];
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.object(depth);
    throw new ParseFailure(pos);
  }

  private literal<T>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) throw new ParseFailure(this.pos);
    this.pos++;
  }

  private number(): number {
    NUMBER_CHARS.lastIndex = this.pos;
    const gathered = NUMBER_CHARS.exec(this.text)?.[0] ?? '';
    const accepted = STRTOD_PREFIX.exec(gathered)?.[0];
    if (accepted === undefined) throw new ParseFailure(this.pos);
    this.pos += accepted.length;
    return Number(accepted);
  }

  private string(): ByteString {
    const { text } = this;
    const start = this.pos + 1;
    let end = start;
    let escaped = false;
    while (end < text.length && text[end] !== '"') {
      if (text[end] === '\\') {
        escaped = true;
        end++;
      }
      end++;
    }
    if (end >= text.length) throw new ParseFailure(this.pos);
    const raw = text.slice(start, end);
    const value = escaped ? decodeEscapes(raw, this.pos) : raw;
    this.pos = end + 1;
    const nul = value.indexOf('\0');
    return nul < 0 ? value : value.slice(0, nul);
  }

  private array(depth: number): JsonValue[] {
    if (depth >= MAX_NESTING) throw new ParseFailure(this.pos);
    this.pos++;
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] !== ',') break;
      this.pos++;
    }
    this.expect(']');
    return items;
  }

  private object(depth: number): JsonObject<JsonValue> {
    if (depth >= MAX_NESTING) throw new ParseFailure(this.pos);
    this.pos++;
    const entries: Array<[string, JsonValue]> = [];
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return new JsonObject(entries);
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') throw new ParseFailure(this.pos);
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      entries.push([key, this.value(depth + 1)]);
      this.skipSpace();
      if (this.text[this.pos] !== ',') break;
      this.pos++;
    }
    this.expect('}');
    return new JsonObject(entries);
  }
}

/** Decodes the escapes of a string body (between the quotes); `at` locates a failure. */
function decodeEscapes(raw: string, at: number): string {
  let out = '';
  let i = 0;
  for (let slash = raw.indexOf('\\'); slash >= 0; slash = raw.indexOf('\\', i)) {
    out += raw.slice(i, slash);
    const kind = raw[slash + 1] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      out += simple;
      i = slash + 2;
    } else if (kind === 'u') {
      const [bytes, length] = unicodeEscape(raw, slash, at);
      out += bytes;
      i = slash + length;
    } else {
      throw new ParseFailure(at);
    }
  }
  return out + raw.slice(i);
}

/** `\uXXXX` (or a `\uD8xx\uDCxx` pair) at `slash` → [UTF-8 bytes, escape length]. */
function unicodeEscape(raw: string, slash: number, at: number): [ByteString, number] {
  if (raw.length - slash < 6) throw new ParseFailure(at);
  const first = hex4(raw, slash + 2);
  if (first >= 0xdc00 && first <= 0xdfff) throw new ParseFailure(at);
  if (first < 0xd800 || first > 0xdbff) return [utf8(first), 6];
  // A high surrogate must be followed at once by an escaped low surrogate.
  const second = slash + 6;
  if (raw.length - second < 6 || raw[second] !== '\\' || raw[second + 1] !== 'u') throw new ParseFailure(at);
  const low = hex4(raw, second + 2);
  if (low < 0xdc00 || low > 0xdfff) throw new ParseFailure(at);
  return [utf8(0x10000 + (((first & 0x3ff) << 10) | (low & 0x3ff))), 12];
}

/** Four hex digits. cJSON reads a non-hex digit as the whole code being 0 (no error), which then cuts the string. */
function hex4(raw: string, from: number): number {
  const digits = raw.slice(from, from + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : 0;
}

function utf8(codePoint: number): ByteString {
  if (codePoint < 0x80) return String.fromCharCode(codePoint);
  if (codePoint < 0x800) return String.fromCharCode(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f));
  if (codePoint < 0x10000) {
    return String.fromCharCode(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
  }
  return String.fromCharCode(
    0xf0 | (codePoint >> 18),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  );
}

// ---- printing ----------------------------------------------------------------------------------

/**
 * cJSON's formatted print of an array, the value of an array field (§7.2): elements joined by
 * `", "`, objects on several lines indented with TABs by nesting depth, numbers as cJSON prints them.
 */
export function printCjsonArray(items: readonly unknown[], encoding: StringEncoding): ByteString {
  return printArray(items, 0, encoding);
}

function printArray(items: readonly unknown[], depth: number, encoding: StringEncoding): string {
  return `[${items.map((item) => printValue(item, depth + 1, encoding)).join(', ')}]`;
}

function printObject(obj: object, depth: number, encoding: StringEncoding): string {
  const indent = '\t'.repeat(depth + 1);
  const lines: string[] = [];
  forEachMember(obj, (key, value) => {
    lines.push(`${indent}${quote(encoding(key))}:\t${printValue(value, depth + 1, encoding)}`);
  });
  // cJSON writes the newline after "{" even for an empty object, then the closing indent.
  const body = lines.length === 0 ? '' : `${lines.join(',\n')}\n`;
  return `{\n${body}${'\t'.repeat(depth)}}`;
}

function printValue(value: unknown, depth: number, encoding: StringEncoding): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(encoding(value));
    case 'number':
      return formatCjsonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return Array.isArray(value) ? printArray(value, depth, encoding) : printObject(value, depth, encoding);
    default:
      throw new TypeError(`Not a JSON value: ${typeof value}.`);
  }
}

const ESCAPED = /["\\\x00-\x1f]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/** cJSON's string printer: quote, backslash and control bytes escaped; every other byte as is. */
function quote(bytes: ByteString): string {
  const escaped = bytes.replace(
    ESCAPED,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
