// The contract of the shipped saved objects, checked by the unit tests without a Kibana: the export
// file is well-formed, every reference resolves, dashboards and their panel references agree, and
// every field a chart, query or column uses is mapped by the index templates with a usable type.
import { RECORDS_FIELD } from './lens.js';
import type { FieldMapping } from './template-fields.js';

export interface SavedObjectProblem {
  /** `type:id` of the object, or `line N` when the line is not an object at all. */
  readonly where: string;
  readonly message: string;
}

/** A field path → its mapping, from readTemplateFieldTypes. */
export type FieldTypes = ReadonlyMap<string, FieldMapping>;

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);
const DATE = new Set(['date', 'date_nanos']);
const KEYWORD = new Set(['keyword', 'constant_keyword', 'wildcard']);
/** Types with doc values, so terms, sorting and ranges work; `text` and `match_only_text` have none. */
const AGGREGATABLE = new Set([...NUMERIC, ...DATE, ...KEYWORD, 'ip', 'boolean']);

/** What a use of a field needs from its mapping. */
type Need = 'exists' | 'aggregatable' | 'date' | 'numeric';

const NEEDS: Readonly<Record<Need, (f: FieldMapping) => boolean>> = {
  exists: (f) => f.indexed,
  aggregatable: (f) => AGGREGATABLE.has(f.type) && f.docValues,
  date: (f) => DATE.has(f.type) && f.docValues,
  numeric: (f) => NUMERIC.has(f.type) && f.docValues,
};

/** The Lens column dataType that a mapping type yields. */
function lensDataType(esType: string): string | undefined {
  if (NUMERIC.has(esType)) return 'number';
  if (DATE.has(esType)) return 'date';
  if (KEYWORD.has(esType)) return 'string';
  if (esType === 'ip' || esType === 'boolean') return esType;
  return undefined;
}

const LENS_OPERATIONS: Readonly<Record<string, Need>> = {
  date_histogram: 'date',
  terms: 'aggregatable',
  count: 'aggregatable',
  unique_count: 'aggregatable',
  last_value: 'exists',
  sum: 'numeric',
  average: 'numeric',
  min: 'numeric',
  max: 'numeric',
  median: 'numeric',
  percentile: 'numeric',
  standard_deviation: 'numeric',
  range: 'numeric',
};

/** Operations without a source field. */
const FIELDLESS_OPERATIONS = new Set(['filters', 'formula', 'math', 'static_value']);

/** Kibana's dashboard grid width. */
const GRID_COLUMNS = 48;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isVersion = (v: unknown): boolean => typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v);

/** Parsed export: the object lines, the trailing export-details line if any, and line-level problems. */
export interface ParsedExport {
  readonly objects: readonly Json[];
  readonly details?: Json;
  readonly problems: readonly SavedObjectProblem[];
}

export function parseExportNdjson(text: string): ParsedExport {
  const objects: Json[] = [];
  const problems: SavedObjectProblem[] = [];
  let details: Json | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push({ where, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    if (!isObject(value)) problems.push({ where, message: 'not a JSON object' });
    else if ('exportedCount' in value) {
      if (i !== lines.length - 1) problems.push({ where, message: 'the export details line must be the last line' });
      details = value;
    } else objects.push(value);
  });
  if (details && details.exportedCount !== objects.length) {
    problems.push({ where: 'export details', message: `exportedCount is ${String(details.exportedCount)} but the file holds ${objects.length} objects` });
  }
  return { objects, details, problems };
}

/** Every problem found in a set of objects (typically all shipped files together). */
export function checkSavedObjects(objects: readonly Json[], fields: FieldTypes): SavedObjectProblem[] {
  const problems: SavedObjectProblem[] = [];
  const keys = new Set<string>();
  for (const o of objects) {
    const key = `${String(o.type)}:${String(o.id)}`;
    if (keys.has(key)) problems.push({ where: key, message: 'duplicate type and id' });
    keys.add(key);
  }
  for (const o of objects) {
    const where = `${String(o.type)}:${String(o.id)}`;
    const report = (message: string) => problems.push({ where, message });
    if (!checkEnvelope(o, report)) continue;
    const refs = o.references as { name: string; type: string; id: string }[];
    for (const r of refs) {
      if (!keys.has(`${r.type}:${r.id}`)) report(`reference ${r.name} points to ${r.type}:${r.id}, which is not in the files`);
    }
    const useField = (field: string, need: Need, context: string) => {
      const mapping = fields.get(field);
      if (mapping === undefined) report(`${context}: field ${field} is not mapped by the index templates`);
      else if (!NEEDS[need](mapping)) {
        const how = `${mapping.type}${mapping.indexed ? '' : ', index: false'}${mapping.docValues ? '' : ', doc_values: false'}`;
        report(`${context}: field ${field} is mapped as ${how}, not usable here (needs ${need})`);
      }
    };
    const attributes = o.attributes as Json;
    const ctx: CheckContext = { report, useField, refs, attributes };
    switch (o.type) {
      case 'index-pattern':
        checkDataView(ctx);
        break;
      case 'search':
        checkSearch(ctx);
        break;
      case 'lens':
        checkLens(ctx, fields);
        break;
      case 'dashboard':
        checkDashboard(ctx);
        break;
      default:
        report(`unexpected saved object type ${String(o.type)}`);
    }
  }
  return problems;
}

interface CheckContext {
  readonly report: (message: string) => void;
  readonly useField: (field: string, need: Need, context: string) => void;
  readonly refs: readonly { name: string; type: string; id: string }[];
  readonly attributes: Json;
}

function checkEnvelope(o: Json, report: (m: string) => void): boolean {
  let ok = true;
  const fail = (m: string) => {
    report(m);
    ok = false;
  };
  if (typeof o.type !== 'string') fail('type must be a string');
  if (typeof o.id !== 'string' || o.id === '') fail('id must be a non-empty string');
  if (!isObject(o.attributes)) fail('attributes must be an object');
  if (!Array.isArray(o.references)) fail('references must be an array');
  else if (!o.references.every((r) => isObject(r) && typeof r.name === 'string' && typeof r.type === 'string' && typeof r.id === 'string')) {
    fail('every reference needs string name, type and id');
  } else if (new Set(o.references.map((r) => (r as Json).name)).size !== o.references.length) fail('reference names must be unique');
  if (!isVersion(o.coreMigrationVersion)) fail('coreMigrationVersion must be a version like 8.8.0');
  if (!isVersion(o.typeMigrationVersion)) fail('typeMigrationVersion must be a version');
  if (typeof (o.attributes as Json | undefined)?.title !== 'string') fail('attributes.title must be a string');
  return ok;
}

/** Parses a JSON-in-string attribute, reporting when it is missing or not JSON. */
function parseJsonAttribute(ctx: CheckContext, value: unknown, name: string): unknown {
  if (typeof value !== 'string') {
    ctx.report(`${name} must be a string holding JSON`);
    return undefined;
  }
  try {
    return JSON.parse(value);
  } catch (err) {
    ctx.report(`${name} is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

function checkDataView(ctx: CheckContext): void {
  const a = ctx.attributes;
  if (typeof a.name !== 'string') ctx.report('attributes.name must be a string');
  for (const k of ['fields', 'fieldAttrs', 'fieldFormatMap', 'runtimeFieldMap', 'sourceFilters'] as const) {
    if (k in a) parseJsonAttribute(ctx, a[k], `attributes.${k}`);
  }
  if (typeof a.timeFieldName !== 'string') ctx.report('attributes.timeFieldName must be a string');
  else ctx.useField(a.timeFieldName, 'date', 'timeFieldName');
}

/** Checks a searchSourceJSON: JSON, its KQL, and that its `indexRefName` names one of the references. */
function checkSearchSource(ctx: CheckContext, where: string, requireIndex: boolean): void {
  const meta = ctx.attributes.kibanaSavedObjectMeta;
  const source = parseJsonAttribute(ctx, isObject(meta) ? meta.searchSourceJSON : undefined, `${where}.searchSourceJSON`);
  if (!isObject(source)) return;
  checkQuery(ctx, source.query, `${where} query`);
  if (Array.isArray(source.filter) && source.filter.length > 0) ctx.report(`${where}: filters are not checked; use the KQL query`);
  if ('index' in source) ctx.report(`${where}: the data view must be a reference (indexRefName), not an inline index id`);
  if (source.indexRefName !== undefined) {
    const ref = ctx.refs.find((r) => r.name === source.indexRefName);
    if (!ref || ref.type !== 'index-pattern') ctx.report(`${where}: indexRefName ${String(source.indexRefName)} is not an index-pattern reference`);
  } else if (requireIndex) ctx.report(`${where}: no indexRefName`);
}

function checkQuery(ctx: CheckContext, query: unknown, where: string): void {
  if (!isObject(query) || typeof query.query !== 'string' || query.language !== 'kuery') {
    ctx.report(`${where} must be {query: string, language: "kuery"}`);
    return;
  }
  for (const use of kqlFieldUses(query.query)) ctx.useField(use.field, use.range ? 'aggregatable' : 'exists', `${where} "${query.query}"`);
}

function checkSearch(ctx: CheckContext): void {
  const a = ctx.attributes;
  checkSearchSource(ctx, 'kibanaSavedObjectMeta', true);
  if (!Array.isArray(a.columns) || !a.columns.every((c) => typeof c === 'string')) ctx.report('attributes.columns must be an array of field names');
  else for (const c of a.columns as string[]) ctx.useField(c, 'exists', 'column');
  if (!Array.isArray(a.sort) || !a.sort.every((s) => Array.isArray(s) && s.length === 2 && typeof s[0] === 'string' && (s[1] === 'asc' || s[1] === 'desc'))) {
    ctx.report('attributes.sort must be [[field, "asc"|"desc"], …]');
  } else for (const [f] of a.sort as [string, string][]) ctx.useField(f, 'aggregatable', 'sort');
}

const LENS_TYPES = new Set(['lnsXY', 'lnsPie', 'lnsDatatable', 'lnsMetric', 'lnsLegacyMetric', 'lnsHeatmap', 'lnsGauge', 'lnsTagcloud']);

function checkLens(ctx: CheckContext, fields: FieldTypes): void {
  const a = ctx.attributes;
  if (typeof a.visualizationType !== 'string' || !LENS_TYPES.has(a.visualizationType)) ctx.report(`unknown visualizationType ${String(a.visualizationType)}`);
  const state = a.state;
  if (!isObject(state)) {
    ctx.report('attributes.state must be an object');
    return;
  }
  checkQuery(ctx, state.query, 'state.query');
  if (!Array.isArray(state.filters) || state.filters.length > 0) ctx.report('state.filters must be empty (filters are not checked; use the KQL query)');
  const ds = state.datasourceStates;
  const layers = isObject(ds) && isObject(ds.formBased) ? ds.formBased.layers : undefined;
  if (!isObject(layers) || Object.keys(layers).length === 0) {
    ctx.report('state.datasourceStates.formBased.layers must hold at least one layer');
    return;
  }
  const columnIds = new Set<string>();
  for (const [layerId, layer] of Object.entries(layers)) {
    const refName = `indexpattern-datasource-layer-${layerId}`;
    const ref = ctx.refs.find((r) => r.name === refName);
    if (!ref || ref.type !== 'index-pattern') ctx.report(`layer ${layerId} has no index-pattern reference named ${refName}`);
    if (!isObject(layer) || !isObject(layer.columns) || !Array.isArray(layer.columnOrder)) {
      ctx.report(`layer ${layerId} needs columns and columnOrder`);
      continue;
    }
    const ids = Object.keys(layer.columns);
    if (ids.length !== layer.columnOrder.length || !ids.every((id) => (layer.columnOrder as unknown[]).includes(id))) {
      ctx.report(`layer ${layerId}: columnOrder does not list exactly its columns`);
    }
    for (const [id, column] of Object.entries(layer.columns)) {
      columnIds.add(id);
      checkLensColumn(ctx, fields, `column ${id}`, column, ids);
    }
  }
  // Every accessor the visualization names must be a column of a layer.
  for (const accessor of accessorsOf(state.visualization)) {
    if (!columnIds.has(accessor)) ctx.report(`state.visualization names column ${accessor}, which no layer has`);
  }
}

function checkLensColumn(ctx: CheckContext, fields: FieldTypes, where: string, column: unknown, siblingIds: readonly string[]): void {
  if (!isObject(column) || typeof column.operationType !== 'string' || typeof column.dataType !== 'string' || typeof column.label !== 'string') {
    ctx.report(`${where} needs label, dataType and operationType`);
    return;
  }
  const op = column.operationType;
  if (column.filter !== undefined) checkQuery(ctx, column.filter, `${where} filter`);
  if (op === 'filters') {
    const filters = isObject(column.params) ? column.params.filters : undefined;
    if (!Array.isArray(filters) || filters.length === 0) ctx.report(`${where}: a filters column needs params.filters`);
    else filters.forEach((f, i) => checkQuery(ctx, isObject(f) ? f.input : undefined, `${where} filter ${i}`));
    return;
  }
  if (FIELDLESS_OPERATIONS.has(op)) return;
  const need = LENS_OPERATIONS[op];
  if (need === undefined) {
    ctx.report(`${where}: operation ${op} is not checked`);
    return;
  }
  if (typeof column.sourceField !== 'string') {
    ctx.report(`${where}: ${op} needs a sourceField`);
    return;
  }
  if (op === 'count' && column.sourceField === RECORDS_FIELD) return;
  ctx.useField(column.sourceField, need, `${where} (${op})`);
  const esType = fields.get(column.sourceField)?.type;
  const expected = esType === undefined ? undefined : lensDataType(esType);
  if (column.isBucketed === true && expected !== undefined && column.dataType !== expected) {
    ctx.report(`${where}: dataType ${column.dataType} but ${column.sourceField} is ${esType} (Lens expects ${expected})`);
  }
  if (op === 'terms' && isObject(column.params) && isObject(column.params.orderBy) && column.params.orderBy.type === 'column') {
    const by = column.params.orderBy.columnId;
    if (typeof by !== 'string' || !siblingIds.includes(by)) ctx.report(`${where}: ordered by column ${String(by)}, which is not in the layer`);
  }
}

/** Column ids named by a Lens visualization state (XY, pie, datatable, metric). */
function accessorsOf(visualization: unknown): string[] {
  if (!isObject(visualization)) return [];
  const out: string[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(take);
  };
  const layers = Array.isArray(visualization.layers) ? visualization.layers : [visualization];
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    for (const k of ['xAccessor', 'splitAccessor', 'accessors', 'primaryGroups', 'secondaryGroups', 'metrics', 'metricAccessor', 'secondaryMetricAccessor', 'breakdownByAccessor']) {
      take(layer[k]);
    }
    if (Array.isArray(layer.columns)) for (const c of layer.columns) if (isObject(c)) take(c.columnId);
  }
  return out;
}

function checkDashboard(ctx: CheckContext): void {
  const a = ctx.attributes;
  checkSearchSource(ctx, 'kibanaSavedObjectMeta', false);
  const options = parseJsonAttribute(ctx, a.optionsJSON, 'attributes.optionsJSON');
  if (options !== undefined && !isObject(options)) ctx.report('attributes.optionsJSON must hold an object');
  if (typeof a.timeRestore !== 'boolean') ctx.report('attributes.timeRestore must be a boolean');
  else if (a.timeRestore && (typeof a.timeFrom !== 'string' || typeof a.timeTo !== 'string')) ctx.report('timeRestore needs timeFrom and timeTo');
  const panels = parseJsonAttribute(ctx, a.panelsJSON, 'attributes.panelsJSON');
  if (!Array.isArray(panels)) {
    if (panels !== undefined) ctx.report('attributes.panelsJSON must hold an array');
    return;
  }
  const panelRefs = new Set<string>();
  const cells = new Map<string, string>();
  for (const p of panels) {
    if (!isObject(p) || typeof p.panelIndex !== 'string' || !isObject(p.gridData)) {
      ctx.report('every panel needs panelIndex and gridData');
      continue;
    }
    const where = `panel ${p.panelIndex}`;
    const refName = `${p.panelIndex}:${String(p.panelRefName)}`;
    if (p.panelRefName !== `panel_${p.panelIndex}`) ctx.report(`${where}: panelRefName must be panel_${p.panelIndex}`);
    const ref = ctx.refs.find((r) => r.name === refName);
    if (!ref) ctx.report(`${where}: no reference named ${refName}`);
    else if (ref.type !== p.type) ctx.report(`${where}: panel type ${String(p.type)} but its reference is a ${ref.type}`);
    panelRefs.add(refName);
    const { x, y, w, h, i } = p.gridData;
    if (i !== p.panelIndex) ctx.report(`${where}: gridData.i must equal panelIndex`);
    if (![x, y, w, h].every((n) => Number.isInteger(n) && (n as number) >= 0) || (w as number) < 1 || (h as number) < 1 || (x as number) + (w as number) > GRID_COLUMNS) {
      ctx.report(`${where}: gridData must be whole numbers inside the ${GRID_COLUMNS}-column grid`);
      continue;
    }
    for (let cx = x as number; cx < (x as number) + (w as number); cx++) {
      for (let cy = y as number; cy < (y as number) + (h as number); cy++) {
        const other = cells.get(`${cx},${cy}`);
        if (other !== undefined && other !== p.panelIndex) {
          ctx.report(`${where} overlaps panel ${other}`);
          cx = Infinity;
          break;
        }
        cells.set(`${cx},${cy}`, p.panelIndex);
      }
    }
  }
  for (const r of ctx.refs) {
    if (!panelRefs.has(r.name)) ctx.report(`reference ${r.name} is used by no panel`);
  }
}

/** A field a KQL query names; `range` when compared with <, <=, >, >=. */
export interface KqlFieldUse {
  readonly field: string;
  readonly range: boolean;
}

/**
 * The fields a KQL query names: every `field:` and `field <op>` outside quoted values. Enough for
 * the queries we write (no nested-field `{}` syntax); wildcard field names are returned as written
 * and so fail the mapping check.
 */
export function kqlFieldUses(query: string): KqlFieldUse[] {
  const uses: KqlFieldUse[] = [];
  const re = /"(?:[^"\\]|\\.)*"|([A-Za-z0-9_@.*-]+)\s*(:|<=|>=|<|>)/g;
  for (let m = re.exec(query); m !== null; m = re.exec(query)) {
    const [, field, op] = m;
    if (field !== undefined && op !== undefined) uses.push({ field, range: op !== ':' });
  }
  return uses;
}
