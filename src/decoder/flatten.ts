// Turns a JSON tree into the event's fields the way Wazuh's json decoder does: the depth-first walk
// of rule-language.md §7.2, the routing of top-level keys to static fields (§7.3) and the
// case-insensitive first-wins lookup index (§7.4). Works on parsed JSON text and on `JSON.parse` trees.
import type { ByteString } from '../bytes.js';
import { formatFieldNumber } from './c-number-format.js';
import { forEachMember, printCjsonArray, type StringEncoding } from './json-text.js';
import type { StaticField } from './types.js';

/** `analysisd.decoder_order_size`: dynamic fields past this many are dropped (§7.2). */
export const MAX_DYNAMIC_FIELDS = 256;

/**
 * Receives each (name, value) in emission order; `topLevel` marks members of the root object and
 * `indexKey` is the name ASCII-lower-cased (§7.4).
 */
export type FieldVisitor = (name: ByteString, value: ByteString, topLevel: boolean, indexKey: string) => void;

/**
 * The §7.2 walk, before any routing or limit: members in document order, duplicates kept, names
 * joined with `.`, objects recursed (`{}` emits nothing), arrays as one field of cJSON text,
 * `null` as "null".
 */
export function walkJson(root: object, encoding: StringEncoding, visit: FieldVisitor): void {
  new Walker(encoding, visit).object(root, rootName(encoding), true);
}

class Walker {
  constructor(
    private readonly encoding: StringEncoding,
    private readonly visit: FieldVisitor,
  ) {}

  object(obj: object, parent: FieldName, topLevel: boolean): void {
    forEachMember(obj, (key, value) => this.member(childName(parent, key, this.encoding), value, topLevel));
  }

  private member(field: FieldName, value: unknown, topLevel: boolean): void {
    const emit = (text: ByteString): void => this.visit(field.name, text, topLevel, field.indexKey);
    if (value === null) {
      emit('null');
      return;
    }
    switch (typeof value) {
      case 'string':
        emit(this.encoding(value));
        return;
      case 'number':
        emit(formatFieldNumber(value));
        return;
      case 'boolean':
        emit(value ? 'true' : 'false');
        return;
      case 'object':
        if (Array.isArray(value)) emit(printCjsonArray(value, this.encoding));
        else this.object(value, field, false);
        return;
      default:
        throw new TypeError(`Not a JSON value at ${field.name}: ${typeof value}.`);
    }
  }
}

// ---- field names, built once per path ------------------------------------------------------------
// CloudTrail repeats the same field paths in every event. Concatenating and lower-casing each name
// per event, then hashing the fresh string into the index, was half the decode time; a cache of
// names keyed by the raw JSON keys along the path removes it (decodeCloudTrailRecord on a typical
// 38-field record: 15.0 → 9.6 µs/event, Node 20, 2 shared cores, /tmp bench of the compiled module).

/** One field path: its name, the prefix of its members' names, and its index key. */
class FieldName {
  readonly children = new Map<string, FieldName>();
  readonly indexKey: string;
  constructor(
    readonly name: ByteString,
    readonly memberPrefix: ByteString,
  ) {
    this.indexKey = asciiLower(name);
  }
}

/** Past this many cached names the cache starts again, so odd inputs cannot grow it without bound. */
const MAX_CACHED_NAMES = 20_000;
let cachedNames = 0;
/** One tree per encoding: the same raw key can encode to different bytes. */
const roots = new Map<StringEncoding, FieldName>();

function rootName(encoding: StringEncoding): FieldName {
  let root = roots.get(encoding);
  if (root === undefined) {
    root = new FieldName('', '');
    roots.set(encoding, root);
  }
  return root;
}

function childName(parent: FieldName, key: string, encoding: StringEncoding): FieldName {
  const cached = parent.children.get(key);
  if (cached !== undefined) return cached;
  const name = parent.memberPrefix + encoding(key);
  const child = new FieldName(name, `${name}.`);
  if (cachedNames >= MAX_CACHED_NAMES) {
    roots.clear(); // nodes in use keep working; they are just no longer shared
    cachedNames = 0;
  }
  parent.children.set(key, child);
  cachedNames++;
  return child;
}

/** An event's decoded fields; the collections are fresh, so a caller may add to them. */
export interface FlatJson {
  /** Dynamic fields in decode order, duplicates kept, at most MAX_DYNAMIC_FIELDS. */
  readonly fields: Array<readonly [name: ByteString, value: ByteString]>;
  /** ASCII-lower-cased name → value of the first field with that name. */
  readonly fieldIndex: Map<string, ByteString>;
  readonly statics: Partial<Record<StaticField, ByteString>>;
}

/** Walks `root` (a JSON object) and sorts what it emits into static and dynamic fields. */
export function flattenJson(root: object, encoding: StringEncoding): FlatJson {
  const flat: FlatJson = { fields: [], fieldIndex: new Map(), statics: {} };
  walkJson(root, encoding, (name, value, topLevel, indexKey) => {
    if (topLevel && routeStatic(flat.statics, name, value)) return;
    // Static assignments above do not count towards the limit; later dynamic fields are dropped.
    if (flat.fields.length >= MAX_DYNAMIC_FIELDS) return;
    flat.fields.push([name, value]);
    if (flat.fieldIndex.get(indexKey) === undefined) flat.fieldIndex.set(indexKey, value);
  });
  return flat;
}

/** Exact, case-sensitive top-level keys and their static slots (§7.3); `user` is handled apart. */
const STATIC_KEYS: ReadonlyMap<string, StaticField> = new Map<string, StaticField>([
  ['srcip', 'srcip'], ['dstip', 'dstip'], ['srcport', 'srcport'], ['dstport', 'dstport'],
  ['protocol', 'protocol'], ['action', 'action'], ['srcuser', 'srcuser'], ['dstuser', 'dstuser'],
  ['id', 'id'], ['status', 'status'], ['url', 'url'], ['data', 'data'], ['extra_data', 'extra_data'],
  ['systemname', 'system_name'],
]);

/** Stores a top-level member in its static slot; false when it stays a dynamic field. */
function routeStatic(statics: Partial<Record<StaticField, ByteString>>, key: ByteString, value: ByteString): boolean {
  if (key === 'user') {
    // `user` fills dstuser only while dstuser is unset or empty; otherwise it is the dynamic field `user`.
    if (statics.dstuser !== undefined && statics.dstuser !== '') return false;
    statics.dstuser = value;
    return true;
  }
  const slot = STATIC_KEYS.get(key);
  if (slot === undefined) return false;
  statics[slot] = value; // a repeated static key: the last value wins
  return true;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Field names compare ASCII-case-insensitively (§7.4); bytes ≥ 0x80 must stay as they are. */
function asciiLower(name: ByteString): string {
  return NON_ASCII.test(name) ? name.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : name.toLowerCase();
}
