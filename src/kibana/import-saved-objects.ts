// Sends one ndjson file to Kibana's saved objects import API and turns the answer into per-object
// results. Transport, HTTP and response-shape failures throw a KibanaError whose message names the
// Kibana URL and never the credentials; per-object errors are returned for the caller to report.
// API: https://www.elastic.co/guide/en/kibana/8.19/saved-objects-api-import.html
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { KibanaError } from '../errors.js';

export type KibanaAuth =
  | { readonly kind: 'none' }
  /** An Elasticsearch API key: the base64 `encoded` value, or `id:api_key`. */
  | { readonly kind: 'apiKey'; readonly apiKey: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export interface KibanaTarget {
  /** Kibana's base URL, including any `server.basePath`, without credentials. */
  readonly kibanaUrl: string;
  readonly auth: KibanaAuth;
  /** Space id; `default` is addressed without the `/s/<space>` prefix. */
  readonly space: string;
  /** PEM CA certificates trusted for an https Kibana URL, instead of Node's bundled roots. */
  readonly ca?: string | Buffer;
  /** How long the connection may stay silent (connecting, or waiting for the answer), in milliseconds. */
  readonly timeoutMs: number;
}

export interface ImportFile {
  /** Shown in messages; its base name is the multipart filename and must end in `.ndjson`. */
  readonly path: string;
  /** Sent byte for byte. */
  readonly content: Buffer;
}

/** Kibana's per-object error kinds (`errors[].error.type`), plus anything a later version adds. */
export type ImportErrorType = 'conflict' | 'ambiguous_conflict' | 'missing_references' | 'unsupported_type' | 'unknown' | (string & {});

export type ImportObjectResult =
  | {
      readonly outcome: 'created' | 'overwritten';
      readonly type: string;
      readonly id: string;
      readonly title?: string;
      /** Set when Kibana stored the object under another id (an object with this id lives in another space). */
      readonly destinationId?: string;
    }
  | {
      readonly outcome: 'error';
      readonly type: string;
      readonly id: string;
      readonly title?: string;
      readonly errorType: ImportErrorType;
      /** A readable cause: missing references, Kibana's message, … */
      readonly detail?: string;
    };

export interface ImportFileResult {
  readonly file: string;
  /** Objects Kibana stored. */
  readonly successCount: number;
  readonly objects: readonly ImportObjectResult[];
  readonly warnings: readonly string[];
}

/** The import endpoint for a space: no `/s/…` prefix for the default space. */
export function importUrl(kibanaUrl: string, space: string, overwrite: boolean): URL {
  const base = kibanaUrl.replace(/\/+$/, '');
  const spacePath = space === 'default' ? '' : `/s/${encodeURIComponent(space)}`;
  const url = new URL(`${base}${spacePath}/api/saved_objects/_import`);
  if (overwrite) url.searchParams.set('overwrite', 'true');
  return url;
}

export function authorizationHeader(auth: KibanaAuth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'apiKey':
      // Elasticsearch's "encoded" form is base64("id:api_key"); accept the raw pair too.
      return `ApiKey ${auth.apiKey.includes(':') ? Buffer.from(auth.apiKey).toString('base64') : auth.apiKey}`;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }
}

/**
 * Imports one file. `overwrite` replaces objects with the same id; without it Kibana reports them
 * as `conflict` errors and leaves them alone.
 */
export async function importSavedObjectsFile(target: KibanaTarget, file: ImportFile, overwrite: boolean): Promise<ImportFileResult> {
  const url = importUrl(target.kibanaUrl, target.space, overwrite);
  const where = { kibanaUrl: target.kibanaUrl, space: target.space, file: file.path };
  const filename = basename(file.path);
  if (!filename.endsWith('.ndjson')) {
    throw new KibanaError('kibana_bad_file', `${file.path}: Kibana imports only .ndjson files.`, where);
  }
  // The web FormData encoder writes the multipart body Kibana's route expects (one `file` part);
  // Response hands us its bytes and the boundary, so the request can go out through node:https,
  // whose `ca` option Node 20's fetch lacks.
  const form = new FormData();
  form.append('file', new Blob([file.content], { type: 'application/ndjson' }), filename);
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  const headers: Record<string, string> = {
    'kbn-xsrf': 'true',
    'content-type': encoded.headers.get('content-type') as string,
    'content-length': String(body.length),
  };
  const authorization = authorizationHeader(target.auth);
  if (authorization !== undefined) headers.authorization = authorization;

  const response = await send(url, headers, body, target, where);
  const summary = `Kibana at ${target.kibanaUrl} (space ${target.space})`;
  if (response.status === 401 || response.status === 403) {
    const hint = response.status === 401 ? 'check --api-key or --username/--password' : 'the user or API key lacks the privileges to write saved objects in this space';
    throw new KibanaError('kibana_auth', `${summary} refused the import of ${file.path}: ${response.status} ${withoutFullStop(kibanaMessage(response.body))} (${hint}).`, {
      ...where,
      status: response.status,
    });
  }
  if (response.status === 404 && target.space !== 'default') {
    throw new KibanaError('kibana_space_not_found', `${summary} answered 404 to the import of ${file.path}: does space "${target.space}" exist?`, {
      ...where,
      status: response.status,
    });
  }
  if (response.status !== 200) {
    throw new KibanaError('kibana_http_error', `${summary} failed to import ${file.path}: ${response.status} ${withoutFullStop(kibanaMessage(response.body))}.`, {
      ...where,
      status: response.status,
    });
  }
  return { file: file.path, ...parseImportResponse(response.body, `${summary} sent an unexpected answer to the import of ${file.path}`, where) };
}

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

function send(url: URL, headers: Record<string, string>, body: Buffer, target: KibanaTarget, where: Record<string, string>): Promise<RawResponse> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (err: Error) =>
      reject(
        new KibanaError('kibana_unreachable', `Cannot import into Kibana at ${target.kibanaUrl}: ${describeNetworkError(err)}.`, where, { cause: err }),
      );
    const req = request(url, { method: 'POST', headers, timeout: target.timeoutMs, ...(target.ca === undefined ? {} : { ca: target.ca }) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer for ${target.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', fail);
    req.end(body);
  });
}

function describeNetworkError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'the connection was closed before Kibana answered';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `${err.message} (pass the CA certificate with --ca-file)`;
    default:
      return code === undefined ? err.message : `${err.message} (${code})`;
  }
}

/** Kibana's error bodies are `{statusCode, error, message}`; anything else is shown truncated. */
function kibanaMessage(body: string): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed)) {
      const error = typeof parsed.error === 'string' ? parsed.error : '';
      const message = typeof parsed.message === 'string' ? parsed.message : '';
      text = message && error && message !== error ? `${error}: ${message}` : message || error || body;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): show the start of it.
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

const withoutFullStop = (text: string): string => text.replace(/\.+$/, '');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reads `{success, successCount, successResults[], errors[], warnings[]}`. Titles come from
 * `meta.title` (successes) or `title` (errors).
 */
export function parseImportResponse(body: string, context: string, where: Record<string, string> = {}): Omit<ImportFileResult, 'file'> {
  const bad = (why: string) => new KibanaError('kibana_bad_response', `${context}: ${why}.`, where);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw bad(`not JSON: ${kibanaMessage(body)}`);
  }
  if (!isObject(parsed) || typeof parsed.successCount !== 'number' || typeof parsed.success !== 'boolean') {
    throw bad('no success/successCount');
  }
  const objects: ImportObjectResult[] = [];
  for (const r of asArray(parsed.successResults)) {
    if (!isObject(r) || typeof r.type !== 'string' || typeof r.id !== 'string') throw bad('a successResults entry has no type/id');
    const title = isObject(r.meta) ? optionalString(r.meta.title) : undefined;
    const destinationId = optionalString(r.destinationId);
    objects.push({
      outcome: r.overwrite === true ? 'overwritten' : 'created',
      type: r.type,
      id: r.id,
      ...(title === undefined ? {} : { title }),
      ...(destinationId === undefined || destinationId === r.id ? {} : { destinationId }),
    });
  }
  for (const e of asArray(parsed.errors)) {
    if (!isObject(e) || typeof e.type !== 'string' || typeof e.id !== 'string' || !isObject(e.error) || typeof e.error.type !== 'string') {
      throw bad('an errors entry has no type/id/error.type');
    }
    const title = optionalString(e.title) ?? (isObject(e.meta) ? optionalString(e.meta.title) : undefined);
    const detail = errorDetail(e.error);
    objects.push({
      outcome: 'error',
      type: e.type,
      id: e.id,
      ...(title === undefined ? {} : { title }),
      errorType: e.error.type,
      ...(detail === undefined ? {} : { detail }),
    });
  }
  if (!parsed.success && !objects.some((o) => o.outcome === 'error')) throw bad('success is false but no errors are listed');
  const warnings = asArray(parsed.warnings).flatMap((w) => (isObject(w) && typeof w.message === 'string' ? [w.message] : []));
  return { successCount: parsed.successCount, objects, warnings };
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function errorDetail(error: Record<string, unknown>): string | undefined {
  switch (error.type) {
    case 'missing_references': {
      const refs = asArray(error.references).flatMap((r) => (isObject(r) ? [`${String(r.type)}:${String(r.id)}`] : []));
      return refs.length > 0 ? `missing ${refs.join(', ')}` : undefined;
    }
    case 'conflict':
      return 'an object with this id already exists';
    case 'ambiguous_conflict':
      return 'several objects in the space match it; import it from Kibana (Stack Management → Saved objects) to choose';
    case 'unsupported_type':
      return 'this Kibana does not know or cannot import this type';
    default:
      return optionalString(error.message);
  }
}
