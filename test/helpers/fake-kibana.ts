// A stand-in for Kibana's saved objects import API on 127.0.0.1: it checks each request against the
// exact contract (method, space path, query, kbn-xsrf and authorization headers, one multipart `file`
// part with the ndjson bytes) and replays Kibana-shaped answers scripted by the test.
// Contract: https://www.elastic.co/guide/en/kibana/8.19/saved-objects-api-import.html
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a correct client sends; anything else is a violation. */
export interface ExpectedImport {
  readonly space: string;
  readonly overwrite: boolean;
  /** The exact Authorization header, or undefined when none may be sent. */
  readonly authorization: string | undefined;
  readonly filename: string;
  readonly content: Buffer;
}

export type FakeReply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown }
  /** Read the request, then drop the connection without answering. */
  | { readonly kind: 'close' };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface FakeKibana {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Contract violations seen so far; a test expects this to stay empty. */
  readonly violations: readonly string[];
  close(): Promise<void>;
}

/** Kibana's answer to a request without kbn-xsrf (and ours to any other violation). */
const badRequest = (message: string): FakeReply => ({ kind: 'json', status: 400, body: { statusCode: 400, error: 'Bad Request', message } });

/**
 * Starts the server. Request n is checked against `expected[n]` and answered with `replies[n]`;
 * past the end of either list, its last entry repeats.
 */
export async function startFakeKibana(expected: ExpectedImport | readonly ExpectedImport[], replies: readonly FakeReply[]): Promise<FakeKibana> {
  const expectations = Array.isArray(expected) ? expected : [expected as ExpectedImport];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake-kibana');
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, headers: req.headers, body });
      const n = requests.length - 1;
      const problems = checkRequest(expectations[Math.min(n, expectations.length - 1)] as ExpectedImport, req, url, body);
      violations.push(...problems);
      const reply = problems.length > 0 ? badRequest(problems.join('; ')) : (replies[Math.min(n, replies.length - 1)] as FakeReply);
      if (reply.kind === 'close') {
        req.socket.destroy();
        return;
      }
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function checkRequest(expected: ExpectedImport, req: IncomingMessage, url: URL, body: Buffer): string[] {
  const problems: string[] = [];
  if (req.method !== 'POST') problems.push(`method ${req.method} instead of POST`);
  const path = expected.space === 'default' ? '/api/saved_objects/_import' : `/s/${expected.space}/api/saved_objects/_import`;
  if (url.pathname !== path) problems.push(`path ${url.pathname} instead of ${path}`);
  const query = expected.overwrite ? '?overwrite=true' : '';
  if (url.search !== query) problems.push(`query "${url.search}" instead of "${query}"`);
  // Kibana refuses every non-GET API call without this header, whatever its value.
  if (req.headers['kbn-xsrf'] === undefined) problems.push('Request must contain a kbn-xsrf header.');
  if (req.headers.authorization !== expected.authorization) problems.push(`authorization header ${req.headers.authorization === undefined ? 'missing' : 'differs'}`);
  if (req.headers['content-length'] !== String(body.length)) problems.push(`content-length ${String(req.headers['content-length'])} but ${body.length} bytes came`);
  problems.push(...checkMultipart(expected, req.headers['content-type'], body));
  return problems;
}

/** The body must be exactly one part: name "file", the expected filename, application/ndjson, the bytes. */
function checkMultipart(expected: ExpectedImport, contentType: string | undefined, body: Buffer): string[] {
  const m = /^multipart\/form-data;\s*boundary=(?:"([^"]+)"|([^\s;]+))$/i.exec(contentType ?? '');
  if (!m) return [`content-type ${String(contentType)} is not multipart/form-data with a boundary`];
  const boundary = m[1] ?? m[2];
  const open = Buffer.from(`--${boundary}\r\n`);
  const close = Buffer.from(`\r\n--${boundary}--\r\n`);
  if (!body.subarray(0, open.length).equals(open)) return ['the body does not start with the boundary'];
  if (!body.subarray(body.length - close.length).equals(close)) return ['the body does not end with the closing boundary'];
  const part = body.subarray(open.length, body.length - close.length);
  if (part.includes(Buffer.from(`\r\n--${boundary}`))) return ['more than one part'];
  const split = part.indexOf('\r\n\r\n');
  if (split < 0) return ['the part has no header block'];
  const headers = new Map(
    part
      .subarray(0, split)
      .toString('utf8')
      .split('\r\n')
      .map((line): [string, string] => {
        const i = line.indexOf(':');
        return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
      }),
  );
  const problems: string[] = [];
  const disposition = headers.get('content-disposition') ?? '';
  if (!/^form-data;/.test(disposition) || !/(^|;\s*)name="file"/.test(disposition)) problems.push(`part is not form-data named "file": ${disposition}`);
  const filename = /filename="([^"]*)"/.exec(disposition)?.[1];
  if (filename !== expected.filename) problems.push(`filename ${String(filename)} instead of ${expected.filename}`);
  if (headers.get('content-type') !== 'application/ndjson') problems.push(`part content-type ${String(headers.get('content-type'))} instead of application/ndjson`);
  if (!part.subarray(split + 4).equals(expected.content)) problems.push('the file content differs from the ndjson file');
  return problems;
}

// ---- Kibana-shaped answers (8.x) ----------------------------------------------------------------

export interface ObjectRef {
  readonly type: string;
  readonly id: string;
  readonly title: string;
}

/** 200, everything imported; `overwrite` marks objects that replaced existing ones. */
export function importSuccess(objects: readonly ObjectRef[], options: { readonly overwrite: boolean }): FakeReply {
  return {
    kind: 'json',
    status: 200,
    body: {
      successCount: objects.length,
      success: true,
      warnings: [],
      successResults: objects.map((o) => ({
        type: o.type,
        id: o.id,
        meta: { title: o.title, icon: ICONS[o.type] ?? 'questionInCircle' },
        ...(options.overwrite ? { overwrite: true } : {}),
        managed: false,
      })),
    },
  };
}

/** 200 with per-object errors: the objects in `failed` were not imported, the rest were. */
export function importWithErrors(imported: readonly ObjectRef[], failed: readonly (ObjectRef & { readonly error: Record<string, unknown> })[]): FakeReply {
  const ok = importSuccess(imported, { overwrite: false });
  const body = (ok as { body: Record<string, unknown> }).body;
  return {
    kind: 'json',
    status: 200,
    body: {
      ...body,
      success: false,
      errors: failed.map((f) => ({ id: f.id, type: f.type, title: f.title, meta: { title: f.title, icon: ICONS[f.type] ?? 'questionInCircle' }, error: f.error })),
    },
  };
}

export const UNAUTHORIZED: FakeReply = {
  kind: 'json',
  status: 401,
  body: {
    statusCode: 401,
    error: 'Unauthorized',
    message:
      '[security_exception\n\tRoot causes:\n\t\tsecurity_exception: unable to authenticate with provided credentials and anonymous access is not allowed for this request]: unable to authenticate with provided credentials and anonymous access is not allowed for this request',
  },
};

export const INTERNAL_ERROR: FakeReply = {
  kind: 'json',
  status: 500,
  body: { statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred.' },
};

export const CLOSE: FakeReply = { kind: 'close' };

const ICONS: Readonly<Record<string, string>> = {
  'index-pattern': 'indexPatternApp',
  search: 'discoverApp',
  lens: 'lensApp',
  dashboard: 'dashboardApp',
};
