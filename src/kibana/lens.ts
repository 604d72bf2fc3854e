// Builds Lens saved objects (the visualizations Kibana 8 creates) from a compact description, so
// every chart in kibana-saved-objects/ has the same complete `state` shape: one form-based layer on
// the ctindex data view, referenced as `indexpattern-datasource-layer-<layerId>`.
import { createHash } from 'node:crypto';
import { savedObject, type SavedObject } from './saved-object.js';

/** Lens column data types; the saved-object test checks each against the index templates. */
export type LensDataType = 'string' | 'number' | 'ip' | 'date' | 'boolean';

/** A document field as Lens needs to know it when it buckets on it. */
export interface LensField {
  readonly name: string;
  readonly dataType: LensDataType;
}

/** Bucket (split) dimensions. */
export type BucketSpec =
  | { readonly op: 'date_histogram'; readonly field: LensField }
  /** Top values; `orderBy: 'key'` sorts by the value itself (numerically for numbers). */
  | { readonly op: 'terms'; readonly field: LensField; readonly size: number; readonly orderBy?: 'metric' | 'key'; readonly label?: string }
  /** One bucket per KQL query. */
  | { readonly op: 'filters'; readonly label: string; readonly filters: readonly { readonly label: string; readonly kql: string }[] };

/** Metrics: a document count, optionally restricted by a KQL filter. */
export interface CountSpec {
  readonly label: string;
  readonly kql?: string;
}

interface Common {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** KQL applied to the whole chart; empty for none. */
  readonly kql: string;
}

export type LensSpec = Common &
  (
    | { readonly chart: 'xy'; readonly seriesType: XySeriesType; readonly x: BucketSpec; readonly split?: BucketSpec; readonly metrics: readonly CountSpec[] }
    | { readonly chart: 'pie'; readonly shape: 'pie' | 'donut'; readonly groups: readonly BucketSpec[]; readonly metric: CountSpec }
    | { readonly chart: 'table'; readonly rows: readonly BucketSpec[]; readonly metrics: readonly CountSpec[] }
    | { readonly chart: 'metric'; readonly metric: CountSpec }
  );

export type XySeriesType = 'line' | 'area_stacked' | 'bar' | 'bar_stacked' | 'bar_horizontal' | 'bar_horizontal_stacked';

const VISUALIZATION_TYPES = { xy: 'lnsXY', pie: 'lnsPie', table: 'lnsDatatable', metric: 'lnsMetric' } as const;

/** Lens' pseudo-field for "count of documents". */
export const RECORDS_FIELD = '___records___';

/**
 * A UUID-shaped id derived from a seed. Kibana gives layers, columns and panels random UUIDs; ours
 * must stay the same from one build to the next so the committed file only changes when a chart does.
 */
export function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function lensObject(spec: LensSpec, dataViewId: string): SavedObject {
  const layerId = stableUuid(`${spec.id}/layer`);
  const col = (role: string) => stableUuid(`${spec.id}/${role}`);
  const columns: Record<string, unknown> = {};
  const addBuckets = (role: string, buckets: readonly BucketSpec[], firstMetricId: string) =>
    buckets.map((b, i) => {
      const id = col(`${role}${i}`);
      columns[id] = bucketColumn(b, firstMetricId);
      return id;
    });
  const addMetrics = (metrics: readonly CountSpec[]) =>
    metrics.map((m, i) => {
      const id = col(`metric${i}`);
      columns[id] = countColumn(m);
      return id;
    });

  let visualization: Record<string, unknown>;
  // Buckets come first in columnOrder: Lens nests aggregations in that order.
  let bucketIds: string[];
  let metricIds: string[];
  switch (spec.chart) {
    case 'xy': {
      metricIds = addMetrics(spec.metrics);
      const [xId] = addBuckets('x', [spec.x], metricIds[0] as string);
      const splitIds = spec.split ? addBuckets('split', [spec.split], metricIds[0] as string) : [];
      bucketIds = [xId as string, ...splitIds];
      visualization = xyVisualization(layerId, spec.seriesType, xId as string, splitIds[0], metricIds);
      break;
    }
    case 'pie': {
      metricIds = addMetrics([spec.metric]);
      bucketIds = addBuckets('group', spec.groups, metricIds[0] as string);
      visualization = {
        shape: spec.shape,
        layers: [
          {
            layerId,
            layerType: 'data',
            primaryGroups: bucketIds,
            metrics: metricIds,
            numberDisplay: 'percent',
            categoryDisplay: 'default',
            legendDisplay: 'default',
            nestedLegend: false,
          },
        ],
      };
      break;
    }
    case 'table': {
      metricIds = addMetrics(spec.metrics);
      bucketIds = addBuckets('row', spec.rows, metricIds[0] as string);
      visualization = {
        layerId,
        layerType: 'data',
        columns: [...bucketIds, ...metricIds].map((columnId) => ({ columnId, isTransposed: false })),
        sorting: { columnId: metricIds[0], direction: 'desc' },
        rowHeight: 'single',
        headerRowHeight: 'single',
      };
      break;
    }
    case 'metric': {
      metricIds = addMetrics([spec.metric]);
      bucketIds = [];
      visualization = { layerId, layerType: 'data', metricAccessor: metricIds[0] };
      break;
    }
  }

  return savedObject(
    'lens',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      visualizationType: VISUALIZATION_TYPES[spec.chart],
      state: {
        visualization,
        query: { query: spec.kql, language: 'kuery' },
        filters: [],
        datasourceStates: {
          formBased: {
            layers: {
              [layerId]: { columns, columnOrder: [...bucketIds, ...metricIds], incompleteColumns: {}, sampling: 1 },
            },
          },
          textBased: { layers: {} },
        },
        internalReferences: [],
        adHocDataViews: {},
      },
    },
    [{ type: 'index-pattern', id: dataViewId, name: `indexpattern-datasource-layer-${layerId}` }],
  );
}

function xyVisualization(layerId: string, seriesType: XySeriesType, xId: string, splitId: string | undefined, metricIds: readonly string[]) {
  const axes = { x: true, yLeft: true, yRight: true };
  return {
    legend: { isVisible: true, position: 'right' },
    valueLabels: 'hide',
    fittingFunction: 'None',
    axisTitlesVisibilitySettings: axes,
    tickLabelsVisibilitySettings: axes,
    gridlinesVisibilitySettings: axes,
    labelsOrientation: { x: 0, yLeft: 0, yRight: 0 },
    preferredSeriesType: seriesType,
    layers: [
      {
        layerId,
        layerType: 'data',
        seriesType,
        xAccessor: xId,
        ...(splitId === undefined ? {} : { splitAccessor: splitId }),
        accessors: metricIds,
        position: 'top',
        showGridlines: false,
      },
    ],
  };
}

function countColumn(m: CountSpec) {
  return {
    label: m.label,
    customLabel: true,
    dataType: 'number',
    operationType: 'count',
    isBucketed: false,
    scale: 'ratio',
    sourceField: RECORDS_FIELD,
    params: { emptyAsNull: true },
    ...(m.kql === undefined ? {} : { filter: { query: m.kql, language: 'kuery' } }),
  };
}

function bucketColumn(b: BucketSpec, metricId: string) {
  switch (b.op) {
    case 'date_histogram':
      return {
        label: b.field.name,
        dataType: 'date',
        operationType: 'date_histogram',
        sourceField: b.field.name,
        isBucketed: true,
        scale: 'interval',
        params: { interval: 'auto', includeEmptyRows: true, dropPartials: false },
      };
    case 'terms':
      return {
        label: b.label ?? `Top ${b.size} values of ${b.field.name}`,
        ...(b.label === undefined ? {} : { customLabel: true }),
        dataType: b.field.dataType,
        operationType: 'terms',
        sourceField: b.field.name,
        isBucketed: true,
        scale: 'ordinal',
        params: {
          size: b.size,
          orderBy: b.orderBy === 'key' ? { type: 'alphabetical', fallback: false } : { type: 'column', columnId: metricId },
          orderDirection: b.orderBy === 'key' ? 'asc' : 'desc',
          otherBucket: b.orderBy !== 'key',
          missingBucket: false,
          parentFormat: { id: 'terms' },
          include: [],
          exclude: [],
          includeIsRegex: false,
          excludeIsRegex: false,
        },
      };
    case 'filters':
      return {
        label: b.label,
        customLabel: true,
        dataType: 'string',
        operationType: 'filters',
        isBucketed: true,
        scale: 'ordinal',
        params: { filters: b.filters.map((f) => ({ label: f.label, input: { query: f.kql, language: 'kuery' } })) },
      };
  }
}
