// CDB lists (rule-language.md §6): the text format Wazuh compiles into .cdb files, and the six
// `<list lookup="…">` tests. Keys and values are exact byte strings; the first duplicate key wins.
import type { ByteString } from '../bytes.js';
import type { Matcher } from './patterns/pattern.js';

export type ListLookup =
  | 'match_key'
  | 'not_match_key'
  | 'match_key_value'
  | 'address_match_key'
  | 'not_address_match_key'
  | 'address_match_key_value';

export const LIST_LOOKUPS: readonly ListLookup[] = [
  'match_key',
  'not_match_key',
  'match_key_value',
  'address_match_key',
  'not_address_match_key',
  'address_match_key_value',
];

/** One loaded list: key → value. */
export class CdbList {
  readonly #entries: ReadonlyMap<ByteString, ByteString>;

  private constructor(entries: ReadonlyMap<ByteString, ByteString>) {
    this.#entries = entries;
  }

  /** Parses the text format of lists_make.c (Lists_OP_MakeCDB); `text` is the file's bytes. */
  static parse(text: ByteString): CdbList {
    const entries = new Map<ByteString, ByteString>();
    for (const raw of text.split('\n')) {
      const entry = parseLine(raw);
      if (entry !== undefined && !entries.has(entry[0])) entries.set(entry[0], entry[1]);
    }
    return new CdbList(entries);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: ByteString): ByteString | undefined {
    return this.#entries.get(key);
  }
}

/** One line → [key, value], or undefined when Wazuh skips it. No trimming, no comments (§6). */
function parseLine(raw: string): [ByteString, ByteString] | undefined {
  const cr = raw.indexOf('\r');
  const line = cr === -1 ? raw : raw.slice(0, cr);
  const colon = line.indexOf(':');
  if (colon === -1) return undefined;
  let key: string;
  let rest: string;
  const quote = line.indexOf('"');
  if (quote !== -1 && quote < colon) {
    // A quoted key (for IPv6 keys such as "2001:db8::1"): up to the next quote.
    const close = line.indexOf('"', quote + 1);
    if (close === -1) return undefined;
    key = line.slice(quote + 1, close);
    rest = line.slice(close + 1);
  } else {
    key = line.slice(0, colon);
    rest = line.slice(colon);
  }
  const sep = rest.indexOf(':');
  if (sep === -1) return undefined;
  let value = rest.slice(sep + 1);
  const vq = value.indexOf('"');
  if (vq !== -1) {
    const vclose = value.indexOf('"', vq + 1);
    if (vclose === -1) return undefined;
    value = value.slice(vq + 1, vclose);
  }
  return [key, value];
}

/**
 * The value stored for `key` or for its longest prefix ending in `.` (10.1.2.3 → 10.1.2. → 10.1.
 * → 10.), as lists_list.c OS_DBSeachKeyAddress walks it.
 */
function addressValue(list: CdbList, key: ByteString): ByteString | undefined {
  const exact = list.get(key);
  if (exact !== undefined) return exact;
  for (let end = key.lastIndexOf('.'); end !== -1; end = key.lastIndexOf('.', end - 1)) {
    const found = list.get(key.slice(0, end + 1));
    if (found !== undefined) return found;
    if (end === 0) break;
  }
  return undefined;
}

/** Compiles one `<list>` test (§6 table); `checkValue` is the osmatch of `check_value`. */
export function compileListLookup(list: CdbList, lookup: ListLookup, checkValue: Matcher | undefined): (value: ByteString) => boolean {
  switch (lookup) {
    case 'match_key':
      return (v) => list.get(v) !== undefined;
    case 'not_match_key':
      return (v) => list.get(v) === undefined;
    case 'match_key_value':
      // Without check_value this never matches (§6).
      return (v) => {
        const found = list.get(v);
        return found !== undefined && checkValue !== undefined && checkValue.test(found);
      };
    case 'address_match_key':
      return (v) => addressValue(list, v) !== undefined;
    case 'not_address_match_key':
      return (v) => addressValue(list, v) === undefined;
    case 'address_match_key_value':
      // Inverted by a Wazuh bug (§6, wazuh#8269): true when nothing is found or the value fails.
      return (v) => {
        const found = addressValue(list, v);
        return found === undefined || checkValue === undefined || !checkValue.test(found);
      };
  }
}

/**
 * Where `--lists DIR` finds a rule's `<list>` path: `etc/lists/amazon/aws-eventnames` (or its
 * `.cdb` form) → `amazon/aws-eventnames` relative to DIR.
 */
export function listRelativePath(ruleListText: string): string {
  const noPrefix = ruleListText.startsWith('etc/lists/') ? ruleListText.slice('etc/lists/'.length) : ruleListText;
  return noPrefix.endsWith('.cdb') ? noPrefix.slice(0, -'.cdb'.length) : noPrefix;
}
