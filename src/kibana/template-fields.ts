// Resolves the field → mapping-type table an index gets from index-templates/, the way
// Elasticsearch composes it: the highest-priority index template matching the index name, its
// `composed_of` component templates in order, then its own mappings. Multi-fields become `x.sub`
// and aliases take their target's type. The saved-object checks compare charts against this table.
// https://www.elastic.co/guide/en/elasticsearch/reference/8.19/index-templates.html
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** What the checks need to know of a mapped field. */
export interface FieldMapping {
  readonly type: string;
  /** False with `index: false`: the field cannot be queried. */
  readonly indexed: boolean;
  /** False with `doc_values: false`: the field cannot be aggregated or sorted on. */
  readonly docValues: boolean;
}
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Index templates in `<dir>/index/<name>.json`, component templates in `<dir>/component/<name>.json`. */
export function readTemplateFieldTypes(dir: string, indexName: string): Map<string, FieldMapping> {
  const read = (file: string): Json => {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(value)) throw new Error(`${file}: not a JSON object`);
    return value;
  };
  const candidates = readdirSync(join(dir, 'index'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ name: n.slice(0, -'.json'.length), body: read(join(dir, 'index', n)) }))
    .filter(({ body }) => Array.isArray(body.index_patterns) && body.index_patterns.some((p) => typeof p === 'string' && globMatches(p, indexName)))
    .sort((a, b) => Number(b.body.priority ?? 0) - Number(a.body.priority ?? 0));
  const chosen = candidates[0];
  if (!chosen) throw new Error(`No index template in ${dir} matches ${indexName}.`);

  const types = new Map<string, FieldMapping>();
  const aliases = new Map<string, string>();
  const composedOf = Array.isArray(chosen.body.composed_of) ? chosen.body.composed_of.map(String) : [];
  const mappings = [...composedOf.map((c) => read(join(dir, 'component', `${c}.json`))), chosen.body].map((t) =>
    isObject(t.template) && isObject(t.template.mappings) ? t.template.mappings : {},
  );
  for (const m of mappings) {
    if (isObject(m.properties)) collect(m.properties, '', types, aliases);
    if (isObject(m.runtime)) {
      for (const [name, def] of Object.entries(m.runtime)) {
        if (isObject(def) && typeof def.type === 'string') types.set(name, { type: def.type, indexed: true, docValues: true });
      }
    }
  }
  for (const [name, target] of aliases) {
    const mapping = types.get(target);
    if (mapping !== undefined) types.set(name, mapping);
  }
  return types;
}

function collect(properties: Json, prefix: string, types: Map<string, FieldMapping>, aliases: Map<string, string>): void {
  for (const [key, def] of Object.entries(properties)) {
    if (!isObject(def)) continue;
    const name = `${prefix}${key}`;
    if (isObject(def.properties)) {
      collect(def.properties, `${name}.`, types, aliases);
      continue;
    }
    if (def.type === 'alias' && typeof def.path === 'string') aliases.set(name, def.path);
    else types.set(name, fieldMapping(def));
    if (isObject(def.fields)) {
      for (const [sub, subDef] of Object.entries(def.fields)) {
        if (isObject(subDef)) types.set(`${name}.${sub}`, fieldMapping(subDef));
      }
    }
  }
}

function fieldMapping(def: Json): FieldMapping {
  return { type: typeof def.type === 'string' ? def.type : 'object', indexed: def.index !== false, docValues: def.doc_values !== false };
}

/** Elasticsearch index patterns: `*` matches any run of characters, everything else itself. */
export function globMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}
