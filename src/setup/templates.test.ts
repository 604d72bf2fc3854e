// Consistency of the shipped index-templates/ files: versions, composition, names, and the limits
// the mapper relies on (flattened depth, ignore_above on every indexed keyword).
import { describe, expect, it } from 'vitest';
import { FLATTENED_DEPTH_LIMIT } from '../mapper/ecs-mapper.js';
import type { Json } from './es-request.js';
import { namespaceTargets } from './names.js';
import { compareTemplate, isDataStreamTemplate, loadShippedTemplates, mappingVersion, type ShippedTemplate } from './templates.js';

const shipped = await loadShippedTemplates();
const components = shipped.filter((t) => t.kind === 'component');
const indexTemplates = shipped.filter((t) => t.kind === 'index');

/** Every field definition of a mapping with its dotted path, multi-fields included. */
function fields(properties: Json, prefix = ''): [string, Json][] {
  return Object.entries(properties).flatMap(([name, def]) => {
    const d = def as Json;
    const path = `${prefix}${name}`;
    const sub = Object.entries((d.fields ?? {}) as Json).map(([n, f]): [string, Json] => [`${path}.${n}`, f as Json]);
    return [[path, d] as [string, Json], ...sub, ...(d.properties ? fields(d.properties as Json, `${path}.`) : [])];
  });
}

function mappingsOf(t: ShippedTemplate): Json {
  return ((t.body.template as Json).mappings ?? {}) as Json;
}

describe('shipped templates', () => {
  it('are the expected set, versioned together', () => {
    expect(components.map((t) => t.name)).toEqual([
      'ctindex-base@settings', 'ctindex-cloudtrail@mappings', 'ctindex-cloudtrail@settings', 'ctindex-common@mappings', 'ctindex-deadletter@mappings',
    ]);
    expect(indexTemplates.map((t) => t.name)).toEqual(['ctindex-cloudtrail', 'ctindex-deadletter', 'ctindex-runs', 'ctindex-state']);
    // One schema version for the whole set: an index records its template's version in its
    // mapping _meta, and ensureSetup rolls it over when that is older, whichever file changed.
    const versions = new Set(shipped.map((t) => t.version));
    expect(versions.size).toBe(1);
    for (const t of indexTemplates) expect(mappingVersion(t)).toBe(t.version);
  });

  it('compose only shipped components, and match exactly one namespace target each', () => {
    const names = new Set(components.map((t) => t.name));
    const targets = Object.values(namespaceTargets('ns1'));
    for (const t of indexTemplates) {
      for (const c of t.body.composed_of as string[]) expect(names.has(c), `${t.name} uses ${c}`).toBe(true);
      const patterns = t.body.index_patterns as string[];
      expect(patterns).toHaveLength(1);
      expect(targets.filter((name) => name === patterns[0]!.replace('*', 'ns1'))).toHaveLength(1);
      expect(mappingsOf(t).dynamic).toBe(false);
    }
    expect(indexTemplates.filter(isDataStreamTemplate).map((t) => t.name)).toEqual(['ctindex-cloudtrail', 'ctindex-deadletter']);
  });

  it('bound every indexed keyword and flattened value below Lucene\'s 32 KB term limit', () => {
    const all = shipped.flatMap((t) => fields((mappingsOf(t).properties ?? {}) as Json));
    const flattened = all.filter(([, d]) => d.type === 'flattened');
    expect(flattened.map(([p]) => p).sort()).toEqual([
      'aws.cloudtrail.flattened.additional_eventdata', 'aws.cloudtrail.flattened.request_parameters', 'aws.cloudtrail.flattened.response_elements',
      'aws.cloudtrail.flattened.service_event_details', 'ctindex.unmapped',
    ]);
    for (const [path, d] of flattened) {
      expect(d.depth_limit, path).toBe(FLATTENED_DEPTH_LIMIT);
      expect(d.ignore_above, path).toBe(1024);
    }
    for (const [path, d] of all.filter(([, f]) => f.type === 'keyword' && f.index !== false)) {
      // Characters: up to 3 UTF-8 bytes each (4 for a surrogate pair, which counts as 2).
      expect(Number(d.ignore_above) * 3, path).toBeLessThanOrEqual(32_766);
    }
  });
});

describe('compareTemplate', () => {
  const t = indexTemplates[0]!;
  it('creates, upgrades, keeps, and never downgrades', () => {
    expect(compareTemplate(t, undefined)).toBe('created');
    expect(compareTemplate(t, { version: undefined, meta: undefined })).toBe('updated');
    expect(compareTemplate(t, { version: t.version - 1, meta: undefined })).toBe('updated');
    expect(compareTemplate(t, { version: t.version, meta: undefined })).toBe('unchanged');
    expect(compareTemplate(t, { version: t.version + 1, meta: undefined })).toBe('newer');
  });
});
