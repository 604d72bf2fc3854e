// The component and index templates ctindex ships in index-templates/ (request bodies exactly as
// `PUT _component_template/<name>` and `PUT _index_template/<name>` take them, file name = template
// name), and how they compare with what a cluster has installed.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { indexTemplatesDir } from '../package-paths.js';
import { esRequest, seg, statusOf, type Json } from './es-request.js';

export type TemplateKind = 'component' | 'index';

export interface ShippedTemplate {
  readonly kind: TemplateKind;
  readonly name: string;
  /** `version` of the body; also in `_meta.version` (and, for index templates, the mappings' `_meta.version`). */
  readonly version: number;
  readonly body: Json;
}

export interface InstalledTemplate {
  readonly version: number | undefined;
  readonly meta: Json | undefined;
}

/** Installed ctindex templates, keyed `component/<name>` or `index/<name>`. */
export type InstalledTemplates = ReadonlyMap<string, InstalledTemplate>;

export const templateKey = (kind: TemplateKind, name: string): string => `${kind}/${name}`;

const KINDS: readonly TemplateKind[] = ['component', 'index'];
const cache = new Map<string, Promise<readonly ShippedTemplate[]>>();

async function readShipped(dir: string): Promise<readonly ShippedTemplate[]> {
  const out: ShippedTemplate[] = [];
  for (const kind of KINDS) {
    const files = (await readdir(join(dir, kind))).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const body = JSON.parse(await readFile(join(dir, kind, file), 'utf8')) as Json;
      const version = body.version;
      if (typeof version !== 'number' || !Number.isInteger(version) || (body._meta as Json | undefined)?.version !== version) {
        throw new Error(`index-templates/${kind}/${file}: "version" must be an integer equal to "_meta.version"`);
      }
      out.push({ kind, name: file.slice(0, -'.json'.length), version, body });
    }
  }
  return out;
}

/** Component templates first: index templates are composed of them and must be installed after. */
export function loadShippedTemplates(dir: string = indexTemplatesDir): Promise<readonly ShippedTemplate[]> {
  let loaded = cache.get(dir);
  if (loaded === undefined) {
    loaded = readShipped(dir);
    cache.set(dir, loaded);
  }
  return loaded;
}

/** Version an index created from this index template records in its mapping `_meta`. */
export function mappingVersion(template: ShippedTemplate): number | undefined {
  const v = ((template.body.template as Json | undefined)?.mappings as Json | undefined)?._meta as Json | undefined;
  return typeof v?.version === 'number' ? v.version : undefined;
}

export function isDataStreamTemplate(template: ShippedTemplate): boolean {
  return template.kind === 'index' && template.body.data_stream !== undefined;
}

interface TemplateList {
  readonly component_templates?: readonly { name: string; component_template: { version?: number; _meta?: Json } }[];
  readonly index_templates?: readonly { name: string; index_template: { version?: number; _meta?: Json } }[];
}

async function list(es: Client, path: string): Promise<TemplateList> {
  try {
    return await esRequest<TemplateList>(es, 'GET', path);
  } catch (error) {
    // A wildcard that matches nothing answers 404 with an empty list.
    if (statusOf(error) === 404) return {};
    throw error;
  }
}

export async function readInstalledTemplates(es: Client): Promise<InstalledTemplates> {
  const [components, indexTemplates] = await Promise.all([list(es, '/_component_template/ctindex-*'), list(es, '/_index_template/ctindex-*')]);
  const installed = new Map<string, InstalledTemplate>();
  for (const t of components.component_templates ?? []) {
    installed.set(templateKey('component', t.name), { version: t.component_template.version, meta: t.component_template._meta });
  }
  for (const t of indexTemplates.index_templates ?? []) {
    installed.set(templateKey('index', t.name), { version: t.index_template.version, meta: t.index_template._meta });
  }
  return installed;
}

export type TemplateStatus = 'created' | 'updated' | 'unchanged' | 'newer';

/**
 * By version: missing → created; older or unversioned → updated; same → unchanged; newer (a more
 * recent ctindex installed it) → left alone, never downgraded.
 */
export function compareTemplate(shipped: ShippedTemplate, installed: InstalledTemplate | undefined): TemplateStatus {
  if (installed === undefined) return 'created';
  if (installed.version === undefined || installed.version < shipped.version) return 'updated';
  return installed.version > shipped.version ? 'newer' : 'unchanged';
}

export async function putTemplate(es: Client, kind: TemplateKind, name: string, body: Json): Promise<void> {
  const path = kind === 'component' ? `/_component_template/${seg(name)}` : `/_index_template/${seg(name)}`;
  await esRequest(es, 'PUT', path, { body });
}
