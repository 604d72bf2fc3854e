// Raw Elasticsearch requests for setup: template and policy bodies go out exactly as shipped, and
// the APIs a cluster lacks (ILM, data stream lifecycle, create-data-stream) are recognised by the
// way Elasticsearch answers an unknown route.
import { errors, type Client } from '@elastic/elasticsearch';

export type Json = Record<string, unknown>;

export interface RequestOptions {
  readonly body?: Json;
  readonly querystring?: Record<string, string | number | boolean>;
}

export async function esRequest<T = Json>(es: Client, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  return es.transport.request<T>({ method, path, body: options.body, querystring: options.querystring });
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof errors.ResponseError ? error.statusCode : undefined;
}

/** `error.type` of an Elasticsearch error answer, e.g. `resource_already_exists_exception`. */
export function errorTypeOf(error: unknown): string | undefined {
  if (!(error instanceof errors.ResponseError)) return undefined;
  const body = error.body as { error?: { type?: unknown } } | undefined;
  return typeof body?.error?.type === 'string' ? body.error.type : undefined;
}

/**
 * True when the route does not exist on this cluster: Elasticsearch answers an unknown route with
 * 400 "no handler found" (404 on some versions), or 405 when another method has a handler there.
 * Modules that are absent (the integ-test distribution has no ILM or data stream lifecycle) look
 * exactly like that.
 */
export function isMissingApi(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 405) return true;
  if (status !== 400 && status !== 404) return false;
  const body = (error as errors.ResponseError).body as { error?: unknown } | string | undefined;
  const text = typeof body === 'string' ? body : typeof body?.error === 'string' ? body.error : '';
  return /no handler found|Incorrect HTTP method/i.test(text);
}

/** Encodes one name for a URL path. */
export function seg(name: string): string {
  return encodeURIComponent(name);
}
