// Rule descriptions with `$(field)` placeholders (rule-language.md §8; eventinfo.c,
// ParseRuleComment). The template is parsed once at load; rendering only concatenates.
import { fromBytes, type ByteString } from '../bytes.js';
import type { DecodedEvent, StaticField } from '../decoder/types.js';
import { asciiLower } from './ascii-lower.js';

/** OS_COMMENT_MAX: a result that would reach this many bytes falls back to the raw text. */
const COMMENT_MAX = 1024;

type Lookup = (event: DecodedEvent) => ByteString | undefined;

// §8: these names are matched case-sensitively against the event's fixed slots; geoip and
// program_name are never set for JSON events. Anything else is a dynamic field.
const STATIC_NAMES: ReadonlySet<string> = new Set<StaticField>([
  'dstuser', 'srcuser', 'srcip', 'dstip', 'srcport', 'dstport', 'protocol', 'action', 'id', 'url', 'data', 'status', 'extra_data', 'system_name',
]);

function lookupFor(name: ByteString): Lookup {
  if (STATIC_NAMES.has(name)) {
    const key = name as StaticField;
    return (e) => e.statics[key];
  }
  if (name === 'hostname') return (e) => e.hostname;
  if (name === 'program_name' || name === 'srcgeoip' || name === 'dstgeoip') return () => undefined;
  const lower = asciiLower(name);
  return (e) => e.fieldIndex.get(lower);
}

type Part = ByteString | Lookup;

export class DescriptionTemplate {
  /** The description as loaded (bytes). */
  readonly raw: ByteString;
  readonly #parts: readonly Part[];
  /** Set when the text has no placeholder: rendering is then a constant. */
  readonly #constant: string | undefined;

  constructor(raw: ByteString) {
    this.raw = raw;
    const parts: Part[] = [];
    // Wazuh works on a copy truncated to OS_COMMENT_MAX bytes.
    const text = raw.slice(0, COMMENT_MAX);
    let pos = 0;
    for (let tok = text.indexOf('$(', pos); tok !== -1; tok = text.indexOf('$(', pos)) {
      const end = text.indexOf(')', tok + 2);
      if (end === -1) break; // no `)`: the rest, `$(` included, is copied as is
      parts.push(text.slice(pos, tok), lookupFor(text.slice(tok + 2, end)));
      pos = end + 1;
    }
    parts.push(text.slice(pos));
    this.#parts = parts;
    this.#constant = parts.length === 1 && raw.length < COMMENT_MAX ? fromBytes(raw) : undefined;
  }

  /** The description for `event` as UTF-8 text. Absent fields become empty; values are not rescanned. */
  render(event: DecodedEvent): string {
    if (this.#constant !== undefined) return this.#constant;
    let out = '';
    for (const part of this.#parts) {
      const piece = typeof part === 'string' ? part : part(event);
      if (piece === undefined) continue;
      if (out.length + piece.length >= COMMENT_MAX) return fromBytes(this.raw);
      out += piece;
    }
    return fromBytes(out);
  }
}
