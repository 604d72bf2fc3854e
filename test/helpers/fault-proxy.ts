// A real HTTP proxy on 127.0.0.1 in front of Elasticsearch that misbehaves on demand, for what a
// healthy single-node cluster will not do: 429 storms, 5xx, connections cut before or after the
// request reached Elasticsearch, per-item 429s inside a bulk answer, and a stalled cluster.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Answers with this status (and an Elasticsearch-shaped error body) without forwarding. */
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown }
  /** Cuts the connection without forwarding: Elasticsearch never sees the request. */
  | { readonly kind: 'reset' }
  /** Forwards, waits for Elasticsearch's answer, then cuts the connection instead of relaying it. */
  | { readonly kind: 'reset-after-forward' }
  /** Bulk only: every `every`-th operation (1st, 1+every-th, …) is answered 429 instead of forwarded. */
  | { readonly kind: 'item-429'; readonly every: number };

export interface FaultProxy {
  readonly url: string;
  /** Applies `fault` to the next `times` requests whose path matches (faults queue up in order). */
  inject(fault: Fault, times?: number): void;
  /** Holds matching requests until resume(): a cluster that has stopped answering. */
  pause(): void;
  resume(): void;
  /** Matching requests seen, and how many of them got a fault. */
  readonly counts: { readonly requests: number; readonly faulted: number; readonly held: number };
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Which requests faults and pauses apply to, by method and path. Default: bulk requests. */
  readonly match?: (method: string, path: string) => boolean;
}

const ES_HEADERS = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };

function errorBody(status: number): unknown {
  const type = status === 429 ? 'es_rejected_execution_exception' : 'unavailable_shards_exception';
  return { error: { root_cause: [{ type, reason: 'injected by the fault proxy' }], type, reason: 'injected by the fault proxy' }, status };
}

/** The 429 item Elasticsearch returns when its write thread pool queue is full. */
function rejectedItem(action: Record<string, { _index?: string; _id?: string }>): unknown {
  const [op, meta] = Object.entries(action)[0] ?? ['create', {}];
  return {
    [op]: {
      _index: meta._index,
      _id: meta._id,
      status: 429,
      error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation (injected by the fault proxy)' },
    },
  };
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const match = options.match ?? ((_method: string, path: string) => /\/_bulk(\?|$)/.test(path));
  const faults: { fault: Fault; remaining: number }[] = [];
  const held: (() => void)[] = [];
  const counts = { requests: 0, faulted: 0, held: 0 };
  let paused = false;

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host, 'content-length': String(body.length) } },
        (res) => {
          readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const relay = (res: ServerResponse, answer: { status: number; headers: IncomingHttpHeaders; body: Buffer }): void => {
    const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers).end(answer.body);
  };

  const nextFault = (): Fault | undefined => {
    const head = faults[0];
    if (!head) return undefined;
    if (--head.remaining === 0) faults.shift();
    counts.faulted++;
    return head.fault;
  };

  /** Forwards the operations not picked for a 429 and splices the synthetic items back in order. */
  const partialBulk = async (req: IncomingMessage, body: Buffer, every: number): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> => {
    const lines = body.toString('utf8').split('\n').filter((l) => l !== '');
    const ops: { action: string; source: string }[] = [];
    for (let i = 0; i < lines.length; i += 2) ops.push({ action: lines[i]!, source: lines[i + 1]! });
    const rejected = ops.map((_, i) => i % every === 0);
    const kept = ops.filter((_, i) => !rejected[i]);
    // Uncompressed, so the answer can be edited.
    const headers = { ...req.headers };
    delete headers['accept-encoding'];
    let forwarded: { items: unknown[] } = { items: [] };
    let upstreamAnswer: { status: number; headers: IncomingHttpHeaders } = { status: 200, headers: ES_HEADERS };
    if (kept.length > 0) {
      const answer = await forward(req.method ?? 'POST', req.url ?? '/_bulk', headers, Buffer.from(kept.map((o) => `${o.action}\n${o.source}\n`).join('')));
      if (answer.status !== 200) return answer;
      forwarded = JSON.parse(answer.body.toString('utf8')) as { items: unknown[] };
      upstreamAnswer = answer;
    }
    let next = 0;
    const items = ops.map((op, i) => (rejected[i] ? rejectedItem(JSON.parse(op.action) as Record<string, { _index?: string; _id?: string }>) : forwarded.items[next++]));
    return { status: 200, headers: upstreamAnswer.headers, body: Buffer.from(JSON.stringify({ ...forwarded, errors: true, items })) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = await readBody(req);
    if (match(method, path)) {
      counts.requests++;
      if (paused) {
        counts.held++;
        await new Promise<void>((resume) => held.push(resume));
      }
      const fault = nextFault();
      if (fault?.kind === 'status') {
        const payload = Buffer.from(JSON.stringify(fault.body ?? errorBody(fault.status)));
        res.writeHead(fault.status, { ...ES_HEADERS, 'content-length': String(payload.length) }).end(payload);
        return;
      }
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'reset-after-forward') {
        await forward(method, path, req.headers, body);
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'item-429') {
        relay(res, await partialBulk(req, body, fault.every));
        return;
      }
    }
    relay(res, await forward(method, path, req.headers, body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const resume = (): void => {
    paused = false;
    for (const release of held.splice(0)) release();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault, times = 1) {
      faults.push({ fault, remaining: times });
    },
    pause() {
      paused = true;
    },
    resume,
    counts,
    close() {
      resume();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
