// Builds dashboard saved objects whose panels are saved Lens visualizations or saved searches, laid
// out left to right on Kibana's 48-column grid, with the panel references Kibana 8 writes.
import { stableUuid } from './lens.js';
import { savedObject, type SavedObject, type SavedObjectReference } from './saved-object.js';

/** Kibana's dashboard grid is 48 columns wide; heights are in rows of about 20 px. */
export const GRID_COLUMNS = 48;

export interface PanelSpec {
  /** The saved object shown: a `lens` visualization or a `search`. */
  readonly object: SavedObject;
  readonly w: number;
  readonly h: number;
}

export interface DashboardSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Relative time range restored when the dashboard opens (`timeRestore`). */
  readonly timeFrom: string;
  readonly panels: readonly PanelSpec[];
}

export function dashboardObject(spec: DashboardSpec): SavedObject {
  const references: SavedObjectReference[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((p) => {
    if (p.object.type !== 'lens' && p.object.type !== 'search') {
      throw new Error(`Dashboard ${spec.id}: a panel cannot show a ${p.object.type}.`);
    }
    if (x + p.w > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    // The same object may appear twice on a dashboard, so the panel index also counts position.
    const panelIndex = stableUuid(`${spec.id}/${references.length}/${p.object.id}`);
    // Kibana 8 stores by-reference panels as `panelRefName` plus a reference named
    // `<panelIndex>:panel_<panelIndex>`, and puts the object id only in the reference.
    references.push({ name: `${panelIndex}:panel_${panelIndex}`, type: p.object.type, id: p.object.id });
    const panel = {
      type: p.object.type,
      gridData: { x, y, w: p.w, h: p.h, i: panelIndex },
      panelIndex,
      embeddableConfig: { enhancements: {} },
      panelRefName: `panel_${panelIndex}`,
    };
    x += p.w;
    rowHeight = Math.max(rowHeight, p.h);
    return panel;
  });

  return savedObject(
    'dashboard',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: spec.timeFrom,
      timeTo: 'now',
      refreshInterval: { pause: true, value: 60000 },
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
      version: 1,
    },
    references,
  );
}
