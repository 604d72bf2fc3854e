// The Kibana 8.x saved-object export format that `kibana-saved-objects/*.ndjson` is written in: the
// object shape, the migration versions we declare per type, and the ndjson serialisation.
//
// Kibana refuses an imported object whose `typeMigrationVersion` is newer than the newest migration
// it knows for that type, and migrates older ones forward. So each type declares the version that
// first produced the attribute shape we write; Kibana 8.9 and every later 8.x release import them.
// https://www.elastic.co/guide/en/kibana/8.19/saved-objects-api-import.html

/** A saved object reference: `name` is the key the owning object's attributes use for it. */
export interface SavedObjectReference {
  readonly name: string;
  readonly type: string;
  readonly id: string;
}

/** One line of an export, with the keys Kibana 8.x writes minus the per-cluster ones (dates, version). */
export interface SavedObject {
  readonly type: SavedObjectType;
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly references: readonly SavedObjectReference[];
  readonly coreMigrationVersion: string;
  readonly typeMigrationVersion: string;
}

export type SavedObjectType = 'index-pattern' | 'search' | 'lens' | 'dashboard';

/**
 * Core's document version: 8.8.0 introduced `coreMigrationVersion`/`typeMigrationVersion` in
 * exports, and every 8.x release since writes 8.8.0 here.
 */
export const CORE_MIGRATION_VERSION = '8.8.0';

/** The newest legacy migration of each type whose output shape we write (see the module comment). */
export const TYPE_MIGRATION_VERSIONS: Readonly<Record<SavedObjectType, string>> = {
  'index-pattern': '8.0.0',
  // The saved search type's own last migration; Kibana applies any later search-source
  // migrations and the 10.x model versions on import.
  search: '7.9.3',
  lens: '8.9.0',
  dashboard: '8.9.0',
};

/** The trailer Kibana's export API appends; its import skips any line carrying `exportedCount`. */
export interface ExportDetails {
  readonly excludedObjects: readonly unknown[];
  readonly excludedObjectsCount: number;
  readonly exportedCount: number;
  readonly missingRefCount: number;
  readonly missingReferences: readonly unknown[];
}

export function savedObject(
  type: SavedObjectType,
  id: string,
  attributes: Record<string, unknown>,
  references: readonly SavedObjectReference[],
): SavedObject {
  return {
    type,
    id,
    attributes,
    references,
    coreMigrationVersion: CORE_MIGRATION_VERSION,
    typeMigrationVersion: TYPE_MIGRATION_VERSIONS[type],
  };
}

/**
 * Serialises objects as Kibana's export does: one object per line with keys sorted (Kibana exports
 * come out sorted, and sorting keeps diffs of the committed file readable), then the details line.
 */
export function toExportNdjson(objects: readonly SavedObject[]): string {
  const details: ExportDetails = {
    excludedObjects: [],
    excludedObjectsCount: 0,
    exportedCount: objects.length,
    missingRefCount: 0,
    missingReferences: [],
  };
  return [...objects, details].map((o) => JSON.stringify(sortKeys(o))).join('\n') + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
