// The shipped Kibana saved objects: the committed ndjson is exactly the generator's output, it is a
// well-formed Kibana 8 export, and every field it uses is mapped by index-templates/ with a type the
// chart can use. The checks are themselves tested on deliberately broken objects.
//
// After changing src/kibana/ctindex-saved-objects.ts, regenerate the file with
//   npx vitest run test/unit/saved-objects.test.ts -u
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSavedObjects, kqlFieldUses, parseExportNdjson, type FieldTypes } from '../../src/kibana/check-saved-objects.js';
import { ALERT_KQL, ALERT_SEARCH_COLUMNS, DATA_VIEW_ID, DATA_VIEW_PATTERN, buildCtindexSavedObjects, renderCtindexSavedObjects } from '../../src/kibana/ctindex-saved-objects.js';
import { CORE_MIGRATION_VERSION, TYPE_MIGRATION_VERSIONS } from '../../src/kibana/saved-object.js';
import { globMatches, readTemplateFieldTypes } from '../../src/kibana/template-fields.js';
import { indexTemplatesDir, savedObjectsDir } from '../../src/package-paths.js';

type Json = Record<string, unknown>;

/** A concrete data stream name, as `ctindex sync --namespace default` writes. */
const EVENT_INDEX = 'ctindex-cloudtrail-default';
const fields = readTemplateFieldTypes(indexTemplatesDir, EVENT_INDEX);

function shippedText(): string {
  return readdirSync(savedObjectsDir)
    .filter((n) => n.endsWith('.ndjson'))
    .sort()
    .map((n) => readFileSync(join(savedObjectsDir, n), 'utf8'))
    .join('');
}

function shippedObjects(): Json[] {
  const files = readdirSync(savedObjectsDir).filter((n) => n.endsWith('.ndjson'));
  return files.flatMap((n) => parseExportNdjson(readFileSync(join(savedObjectsDir, n), 'utf8')).objects as Json[]);
}

describe('kibana-saved-objects/ctindex.ndjson', () => {
  it('is exactly what the generator writes (regenerate with -u)', async () => {
    await expect(renderCtindexSavedObjects()).toMatchFileSnapshot('../../kibana-saved-objects/ctindex.ndjson');
  });

  it('parses line by line, ending with an export details line that counts the objects', () => {
    for (const name of readdirSync(savedObjectsDir).filter((n) => n.endsWith('.ndjson'))) {
      const parsed = parseExportNdjson(readFileSync(join(savedObjectsDir, name), 'utf8'));
      expect(parsed.problems, name).toEqual([]);
      expect(parsed.details, name).toMatchObject({ exportedCount: parsed.objects.length, missingRefCount: 0 });
    }
    expect(shippedText().endsWith('\n')).toBe(true);
  });

  it('passes every structural, reference and field check against index-templates/', () => {
    expect(checkSavedObjects(shippedObjects(), fields)).toEqual([]);
  });

  it('declares the migration versions Kibana 8.9+ writes for each type', () => {
    for (const o of shippedObjects()) {
      expect(o.coreMigrationVersion).toBe(CORE_MIGRATION_VERSION);
      expect(o.typeMigrationVersion).toBe(TYPE_MIGRATION_VERSIONS[o.type as keyof typeof TYPE_MIGRATION_VERSIONS]);
    }
  });

  it('uses stable, unique, ctindex- prefixed ids, the same on every build', () => {
    const objects = shippedObjects();
    const ids = objects.map((o) => `${String(o.type)}:${String(o.id)}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of objects) expect(o.id).toMatch(/^ctindex-[a-z0-9-]+$/);
    expect(renderCtindexSavedObjects()).toBe(renderCtindexSavedObjects());
    expect(ids.filter((id) => id.startsWith('dashboard:'))).toEqual([
      'dashboard:ctindex-dashboard-overview',
      'dashboard:ctindex-dashboard-authentication',
      'dashboard:ctindex-dashboard-iam',
      'dashboard:ctindex-dashboard-ec2-vpc',
      'dashboard:ctindex-dashboard-compliance',
    ]);
  });

  it('lists every object before the objects that reference it, as an export does', () => {
    const seen = new Set<string>();
    for (const o of shippedObjects()) {
      for (const r of o.references as { type: string; id: string }[]) expect(seen, `${String(o.id)} → ${r.id}`).toContain(`${r.type}:${r.id}`);
      seen.add(`${String(o.type)}:${String(o.id)}`);
    }
  });

  it('has a data view over every namespace of the event data stream, timed by @timestamp', () => {
    const dataView = shippedObjects().find((o) => o.type === 'index-pattern');
    expect(dataView).toMatchObject({ id: DATA_VIEW_ID, attributes: { title: DATA_VIEW_PATTERN, timeFieldName: '@timestamp' } });
    expect(globMatches(DATA_VIEW_PATTERN, EVENT_INDEX)).toBe(true);
    expect(globMatches(DATA_VIEW_PATTERN, 'ctindex-cloudtrail-prod_eu')).toBe(true);
    expect(globMatches(DATA_VIEW_PATTERN, 'ctindex-deadletter-default')).toBe(false);
  });

  it('has a saved search of alerts (rule.level >= 3) with the agreed columns', () => {
    const search = shippedObjects().find((o) => o.type === 'search') as Json & { attributes: Json & { kibanaSavedObjectMeta: { searchSourceJSON: string } } };
    expect(ALERT_KQL).toBe('rule.level >= 3');
    expect(JSON.parse(search.attributes.kibanaSavedObjectMeta.searchSourceJSON)).toEqual({
      query: { query: 'rule.level >= 3', language: 'kuery' },
      filter: [],
      indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index',
    });
    expect(search.attributes.columns).toEqual([...ALERT_SEARCH_COLUMNS]);
    expect(search.references).toEqual([{ id: DATA_VIEW_ID, name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' }]);
  });
});

describe('readTemplateFieldTypes', () => {
  it('resolves multi-fields, so rule.description is aggregatable and rule.description.text is not', () => {
    expect(fields.get('rule.description')).toMatchObject({ type: 'keyword', docValues: true });
    expect(fields.get('rule.description.text')?.type).toBe('text');
    expect(fields.get('@timestamp')?.type).toBe('date');
    expect(fields.get('source.ip')?.type).toBe('ip');
  });

  it('composes the highest-priority matching index template from its components, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctindex-templates-'));
    mkdirSync(join(dir, 'index'));
    mkdirSync(join(dir, 'component'));
    const write = (path: string, body: unknown) => writeFileSync(join(dir, path), JSON.stringify(body));
    const mappings = (properties: Json, extra: Json = {}) => ({ template: { mappings: { properties, ...extra } } });
    write('component/a.json', mappings({ x: { type: 'keyword' }, y: { type: 'keyword' } }));
    write('component/b.json', mappings({ y: { type: 'long' }, msg: { type: 'keyword', fields: { text: { type: 'text' } } } }));
    write('index/low.json', { index_patterns: ['logs-*'], priority: 1, composed_of: ['a'], ...mappings({ low: { type: 'keyword' } }) });
    write('index/high.json', {
      index_patterns: ['logs-app-*'],
      priority: 10,
      composed_of: ['a', 'b'],
      ...mappings(
        { obj: { properties: { raw: { type: 'keyword', index: false, doc_values: false } } }, who: { type: 'alias', path: 'x' } },
        { runtime: { day: { type: 'keyword' } } },
      ),
    });
    const types = readTemplateFieldTypes(dir, 'logs-app-1');
    expect(Object.fromEntries([...types].map(([k, v]) => [k, v.type]))).toEqual({
      x: 'keyword',
      y: 'long',
      msg: 'keyword',
      'msg.text': 'text',
      'obj.raw': 'keyword',
      who: 'keyword',
      day: 'keyword',
    });
    expect(types.get('obj.raw')).toEqual({ type: 'keyword', indexed: false, docValues: false });
    expect(readTemplateFieldTypes(dir, 'logs-other').has('low')).toBe(true);
    expect(() => readTemplateFieldTypes(dir, 'metrics-1')).toThrow('No index template');
  });
});

describe('kqlFieldUses', () => {
  it.each([
    ['rule.level >= 3', [{ field: 'rule.level', range: true }]],
    ['event.provider: signin.amazonaws.com and event.action: ConsoleLogin', [{ field: 'event.provider', range: false }, { field: 'event.action', range: false }]],
    ['not event.action: (Get* or List*)', [{ field: 'event.action', range: false }]],
    ['user.name: "a: b" or @timestamp < now-1d', [{ field: 'user.name', range: false }, { field: '@timestamp', range: true }]],
    ['rule.*: x', [{ field: 'rule.*', range: false }]],
    ['', []],
  ])('finds the fields of %j', (query, expected) => {
    expect(kqlFieldUses(query)).toEqual(expected);
  });
});

describe('checkSavedObjects catches broken objects', () => {
  const clone = (): Json[] => JSON.parse(JSON.stringify(buildCtindexSavedObjects())) as Json[];
  const byId = (objects: Json[], id: string): Json & { attributes: Json; references: Json[] } => objects.find((o) => o.id === id) as never;
  const layerOf = (lens: Json & { attributes: Json }) => {
    const layers = ((lens.attributes.state as Json).datasourceStates as { formBased: { layers: Record<string, Json & { columns: Record<string, Json> }> } }).formBased.layers;
    return Object.values(layers)[0] as Json & { columns: Record<string, Json> };
  };
  const firstColumn = (lens: Json & { attributes: Json }, op: string): Json =>
    Object.values(layerOf(lens).columns).find((c) => c.operationType === op) as Json;
  const panelsOf = (d: Json & { attributes: Json }) => JSON.parse(d.attributes.panelsJSON as string) as Json[];

  it.each<[string, (objects: Json[]) => void, string, string]>([
    ['top values on a text field', (o) => Object.assign(firstColumn(byId(o, 'ctindex-lens-top-rules'), 'terms'), { sourceField: 'rule.description.text' }), 'lens:ctindex-lens-top-rules', 'field rule.description.text is mapped as text, not usable here (needs aggregatable)'],
    ['a date histogram on a keyword', (o) => Object.assign(firstColumn(byId(o, 'ctindex-lens-events-alerts-over-time'), 'date_histogram'), { sourceField: 'event.action' }), 'lens:ctindex-lens-events-alerts-over-time', 'field event.action is mapped as keyword, not usable here (needs date)'],
    ['a field the templates do not map, in a chart query', (o) => ((byId(o, 'ctindex-lens-alerts-by-level').attributes.state as Json).query = { query: 'rule.levle >= 3', language: 'kuery' }), 'lens:ctindex-lens-alerts-by-level', 'field rule.levle is not mapped'],
    ['a range on a text field in a column filter', (o) => Object.assign(firstColumn(byId(o, 'ctindex-lens-alerts-count'), 'count'), { filter: { query: 'aws.cloudtrail.error_message.text > 3', language: 'kuery' } }), 'lens:ctindex-lens-alerts-count', 'needs aggregatable'],
    ['a Lens dataType that does not match the mapping', (o) => Object.assign(firstColumn(byId(o, 'ctindex-lens-alerts-by-level'), 'terms'), { dataType: 'string' }), 'lens:ctindex-lens-alerts-by-level', 'dataType string but rule.level is short (Lens expects number)'],
    ['an unknown saved search column', (o) => (byId(o, 'ctindex-search-alerts').attributes.columns as string[]).push('rule.nope'), 'search:ctindex-search-alerts', 'column: field rule.nope is not mapped'],
    ['a data view timed by a keyword', (o) => (byId(o, DATA_VIEW_ID).attributes.timeFieldName = 'event.id'), `index-pattern:${DATA_VIEW_ID}`, 'needs date'],
    ['a reference to an object that is not shipped', (o) => ((byId(o, 'ctindex-lens-top-users').references[0] as Json).id = 'gone'), 'lens:ctindex-lens-top-users', 'points to index-pattern:gone, which is not in the files'],
    ['a Lens layer without its data view reference', (o) => (byId(o, 'ctindex-lens-top-users').references = []), 'lens:ctindex-lens-top-users', 'has no index-pattern reference named indexpattern-datasource-layer-'],
    ['a terms column ordered by a column that does not exist', (o) => ((firstColumn(byId(o, 'ctindex-lens-top-users'), 'terms').params as Json).orderBy = { type: 'column', columnId: 'nope' }), 'lens:ctindex-lens-top-users', 'ordered by column nope'],
    ['a visualization naming a missing column', (o) => (((byId(o, 'ctindex-lens-events-count').attributes.state as Json).visualization as Json).metricAccessor = 'nope'), 'lens:ctindex-lens-events-count', 'names column nope, which no layer has'],
    ['a dashboard panel whose reference is gone', (o) => byId(o, 'ctindex-dashboard-iam').references.pop(), 'dashboard:ctindex-dashboard-iam', 'no reference named'],
    ['a dashboard reference no panel uses', (o) => byId(o, 'ctindex-dashboard-iam').references.push({ name: 'x:panel_x', type: 'lens', id: 'ctindex-lens-top-users' }), 'dashboard:ctindex-dashboard-iam', 'reference x:panel_x is used by no panel'],
    ['a panel typed unlike its reference', (o) => {
      const d = byId(o, 'ctindex-dashboard-overview');
      d.attributes.panelsJSON = JSON.stringify(panelsOf(d).map((p) => ({ ...p, type: 'visualization' })));
    }, 'dashboard:ctindex-dashboard-overview', 'panel type visualization but its reference is a lens'],
    ['overlapping panels', (o) => {
      const d = byId(o, 'ctindex-dashboard-compliance');
      d.attributes.panelsJSON = JSON.stringify(panelsOf(d).map((p) => ({ ...p, gridData: { ...(p.gridData as Json), x: 0, y: 0 } })));
    }, 'dashboard:ctindex-dashboard-compliance', 'overlaps panel'],
    ['panelsJSON that is not JSON', (o) => (byId(o, 'ctindex-dashboard-iam').attributes.panelsJSON = '[{'), 'dashboard:ctindex-dashboard-iam', 'attributes.panelsJSON is not valid JSON'],
    ['a missing coreMigrationVersion', (o) => delete byId(o, 'ctindex-dashboard-iam').coreMigrationVersion, 'dashboard:ctindex-dashboard-iam', 'coreMigrationVersion must be a version'],
    ['a duplicate id', (o) => o.push(JSON.parse(JSON.stringify(byId(o, 'ctindex-lens-top-users'))) as Json), 'lens:ctindex-lens-top-users', 'duplicate type and id'],
    ['an inline data view id in a search', (o) => {
      const meta = byId(o, 'ctindex-search-alerts').attributes.kibanaSavedObjectMeta as Json;
      meta.searchSourceJSON = JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [], index: DATA_VIEW_ID });
    }, 'search:ctindex-search-alerts', 'the data view must be a reference'],
  ])('%s', (_name, breakIt, where, message) => {
    const objects = clone();
    expect(checkSavedObjects(objects, fields)).toEqual([]);
    breakIt(objects);
    const problems = checkSavedObjects(objects, fields);
    expect(problems.some((p) => p.where === where && p.message.includes(message)), JSON.stringify(problems, null, 1)).toBe(true);
  });

  it('refuses a field the mapping keeps out of aggregations (doc_values: false)', () => {
    const noDocValues: FieldTypes = new Map([...fields, ['user.name', { type: 'keyword', indexed: true, docValues: false }]]);
    expect(checkSavedObjects(clone(), noDocValues)).toContainEqual({
      where: 'lens:ctindex-lens-top-users',
      message: expect.stringContaining('user.name is mapped as keyword, doc_values: false'),
    });
  });

  it('reports lines that are not JSON objects and a misplaced or miscounting details line', () => {
    const parsed = parseExportNdjson('{"type":"lens"}\nnot json\n[1]\n{"exportedCount":5}\n');
    expect(parsed.problems.map((p) => p.where)).toEqual(['line 2', 'line 3', 'export details']);
    expect(parseExportNdjson('{"exportedCount":0}\n{"type":"lens"}\n').problems[0]).toEqual({ where: 'line 1', message: 'the export details line must be the last line' });
  });
});
