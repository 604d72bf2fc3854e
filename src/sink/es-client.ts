// The Elasticsearch edge every command shares: builds the client from URL / Cloud ID and
// credentials, describes the target for messages without credentials, and turns client errors
// into one-line `SinkError`s that name the endpoint and never carry a secret.
import { readFileSync } from 'node:fs';
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { ConfigError, CtindexError, SinkError } from '../errors.js';

export interface EsConnectionOptions {
  /** `http(s)://[user:password@]host:port[/path]`. Ignored when `cloudId` is set. */
  readonly url?: string;
  /** Elastic Cloud ID (`label:base64`); wins over `url`, which the CLI always defaults. */
  readonly cloudId?: string;
  /** Base64 `id:key`, as Kibana shows it. Excludes a user name or password. */
  readonly apiKey?: string;
  /** Basic-auth user; overrides one given in the URL. */
  readonly username?: string;
  readonly password?: string;
  /** PEM file of a CA to trust besides the system ones (self-signed clusters). */
  readonly caFile?: string;
  /** Per-request timeout in ms. Default 60 000 (the client's own default is 10 minutes). */
  readonly requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

type Target = { readonly kind: 'url'; readonly url: URL } | { readonly kind: 'cloud'; readonly id: string };

function resolveTarget(opts: EsConnectionOptions): Target {
  if (opts.cloudId) return { kind: 'cloud', id: opts.cloudId };
  if (!opts.url) throw new ConfigError('es_target_missing', 'No Elasticsearch target: give --es-url or --es-cloud-id.');
  try {
    return { kind: 'url', url: new URL(opts.url) };
  } catch {
    // The raw value is not repeated: it may hold a password.
    throw new ConfigError('es_url_invalid', '--es-url is not a valid URL (expected http(s)://host:port).');
  }
}

function resolveAuth(opts: EsConnectionOptions, target: Target): ClientOptions['auth'] {
  const fromUrl = target.kind === 'url' && target.url.username !== '' ? target.url : undefined;
  const username = opts.username ?? (fromUrl ? decodeURIComponent(fromUrl.username) : undefined);
  const password = opts.password ?? (fromUrl ? decodeURIComponent(fromUrl.password) : undefined);
  if (opts.apiKey) {
    if (username !== undefined || password !== undefined) {
      throw new ConfigError('es_auth_conflict', 'Give either an Elasticsearch API key or a user name and password, not both.');
    }
    return { apiKey: opts.apiKey };
  }
  if (username === undefined && password === undefined) return undefined;
  if (!username || password === undefined) {
    throw new ConfigError('es_auth_incomplete', 'Elasticsearch basic auth needs both a user name and a password.');
  }
  return { username, password };
}

/** `https://user:pw@host:9200/base?x=1` → `https://host:9200/base`: what messages may show. */
function publicUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** The Elasticsearch URL a Cloud ID stands for, as the client derives it; undefined if malformed. */
function cloudUrl(cloudId: string): string | undefined {
  const [host, esId] = Buffer.from(cloudId.slice(cloudId.lastIndexOf(':') + 1), 'base64').toString('utf8').split('$');
  return host && esId ? `https://${esId}.${host}` : undefined;
}

export function createEsClient(opts: EsConnectionOptions): Client {
  const target = resolveTarget(opts);
  const auth = resolveAuth(opts, target);
  let ca: Buffer | undefined;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile);
    } catch (err) {
      throw new ConfigError('es_ca_unreadable', `Cannot read the CA file ${opts.caFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
    }
  }
  return new Client({
    // Credentials travel in `auth` only, so the connection URLs (which error metadata and
    // describeClient show) never hold them.
    ...(target.kind === 'cloud' ? { cloud: { id: target.id } } : { node: publicUrl(target.url) }),
    // Left out rather than undefined, so the client's own defaults apply.
    ...(auth ? { auth } : {}),
    ...(ca ? { tls: { ca } } : {}),
    requestTimeout: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    name: 'ctindex',
  });
}

/** The target for messages and logs: a URL without credentials or query, or the Cloud deployment. */
export function describeEsTarget(opts: EsConnectionOptions): string {
  if (opts.cloudId) {
    const label = opts.cloudId.includes(':') ? opts.cloudId.slice(0, opts.cloudId.lastIndexOf(':')) : '';
    const url = cloudUrl(opts.cloudId);
    return `Elastic Cloud deployment${label ? ` "${label}"` : ''}${url ? ` (${url})` : ''}`;
  }
  if (!opts.url) return 'an unconfigured Elasticsearch';
  try {
    return publicUrl(new URL(opts.url));
  } catch {
    return 'an invalid Elasticsearch URL';
  }
}

/** The client's nodes without credentials, for messages of components that only get the client. */
export function describeClient(client: Client): string {
  const urls = client.connectionPool.connections.map((c) => publicUrl(c.url));
  return urls.length > 0 ? urls.join(', ') : 'Elasticsearch';
}

/** Fails with one `SinkError` line naming the endpoint when Elasticsearch cannot be used at all. */
export async function checkEsReachable(client: Client, described: string): Promise<void> {
  try {
    // `GET /` (info/ping) needs no privilege but is not routed on every deployment; cluster
    // health is, and answers quickly even on a red cluster.
    await client.cluster.health({ filter_path: 'status' });
  } catch (err) {
    throw toSinkError(err, described, 'checking the cluster health');
  }
}

function errorBody(body: unknown): { type?: string; reason?: string } {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return {};
  const { type, reason } = error as { type?: unknown; reason?: unknown };
  return { type: typeof type === 'string' ? type : undefined, reason: typeof reason === 'string' ? reason : undefined };
}

/** First line, without URL user-info, bounded: client messages are for one log line. */
function oneLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').replace(/\/\/[^/@\s]*@/g, '//');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Maps any error of an Elasticsearch call to a `SinkError` whose message says what failed, then
 * where (`action` reads after "while", e.g. "sending a bulk request"). The original error is not
 * attached as `cause`: its metadata includes the request, headers and all.
 */
export function toSinkError(error: unknown, endpoint: string, action: string): CtindexError {
  if (error instanceof CtindexError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const { type, reason } = errorBody(error.body);
    const context = { endpoint, status, type };
    if (status === 401) {
      return new SinkError('es_unauthorized', `Elasticsearch at ${endpoint} rejected the credentials (401 Unauthorized) while ${action}.`, context);
    }
    if (status === 403) {
      return new SinkError('es_forbidden', `Elasticsearch at ${endpoint} refused ${action} (403 Forbidden${reason ? `: ${oneLine(reason)}` : ''}).`, context);
    }
    const what = [type, reason && oneLine(reason)].filter(Boolean).join(': ');
    return new SinkError('es_request_failed', `Elasticsearch at ${endpoint} answered ${status}${what ? ` (${what})` : ''} while ${action}.`, context);
  }
  if (error instanceof errors.TimeoutError) {
    return new SinkError('es_timeout', `Elasticsearch at ${endpoint} did not answer within the request timeout while ${action}.`, { endpoint });
  }
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
    return new SinkError('es_unreachable', `Elasticsearch at ${endpoint} is unreachable (${oneLine(error.message)}) while ${action}.`, { endpoint });
  }
  if (error instanceof errors.ProductNotSupportedError) {
    return new SinkError('es_not_elasticsearch', `The server at ${endpoint} does not identify as Elasticsearch (while ${action}).`, { endpoint });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SinkError('es_request_failed', `Elasticsearch at ${endpoint} failed while ${action}: ${oneLine(message)}.`, { endpoint });
}

/**
 * What a failed call got back: an HTTP status, `no-answer` when none came (refused, reset, timed
 * out, cut short: the request may or may not have been applied), or `other` for errors that are
 * not about the exchange (serialisation, configuration).
 */
export function failedCallOutcome(error: unknown): number | 'no-answer' | 'other' {
  if (error instanceof errors.ResponseError) return error.statusCode ?? 'no-answer';
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError ||
    error instanceof errors.DeserializationError
  ) {
    return 'no-answer';
  }
  return 'other';
}
