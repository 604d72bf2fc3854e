// createEsClient + checkEsReachable against the real Elasticsearch, and against the fault proxy
// for answers a security-off cluster never gives (401, 403).
import { createServer } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SinkError } from '../../src/errors.js';
import { checkEsReachable, createEsClient, describeEsTarget, type EsConnectionOptions } from '../../src/sink/es-client.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const esUrl = inject('esUrl');
const SECRET = 'pa55-w0rd-never-shown';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function reachabilityError(opts: EsConnectionOptions): Promise<SinkError> {
  const client = createEsClient(opts);
  try {
    await checkEsReachable(client, describeEsTarget(opts));
  } catch (err) {
    return err as SinkError;
  } finally {
    await client.close();
  }
  throw new Error('expected checkEsReachable to fail');
}

function expectNoSecret(err: SinkError): void {
  expect(err).toBeInstanceOf(SinkError);
  expect(err.message).not.toContain(SECRET);
  expect(JSON.stringify(err.context)).not.toContain(SECRET);
  expect(err.cause).toBeUndefined();
  expect(err.message).not.toContain('\n');
}

describe('checkEsReachable', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('passes against the running cluster', async () => {
    const client = createEsClient({ url: esUrl });
    await expect(checkEsReachable(client, describeEsTarget({ url: esUrl }))).resolves.toBeUndefined();
    await client.close();
  });

  it('names the endpoint, not the password in the URL, when nothing listens', async () => {
    const port = await closedPort();
    const err = await reachabilityError({ url: `http://elastic:${SECRET}@127.0.0.1:${port}` });
    expectNoSecret(err);
    expect(err.code).toBe('es_unreachable');
    expect(err.message).toMatch(new RegExp(`^Elasticsearch at http://127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED.*\\) while checking the cluster health\\.$`));
  });

  it('reports rejected credentials (401) without the password given as an option', async () => {
    proxy = await startFaultProxy(esUrl, { match: () => true });
    proxy.inject({
      kind: 'status',
      status: 401,
      body: { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic] for REST request [/_cluster/health]' }, status: 401 },
    });
    const err = await reachabilityError({ url: proxy.url, username: 'elastic', password: SECRET });
    expectNoSecret(err);
    expect(err.code).toBe('es_unauthorized');
    expect(err.message).toBe(`Elasticsearch at ${proxy.url} rejected the credentials (401 Unauthorized) while checking the cluster health.`);
  });

  it('reports a missing privilege (403) with the reason, without the API key', async () => {
    proxy = await startFaultProxy(esUrl, { match: () => true });
    const reason = 'action [cluster:monitor/health] is unauthorized for API key id [k1] of user [ingest]';
    proxy.inject({ kind: 'status', status: 403, body: { error: { type: 'security_exception', reason }, status: 403 } });
    const err = await reachabilityError({ url: proxy.url, apiKey: Buffer.from(`k1:${SECRET}`).toString('base64') });
    expectNoSecret(err);
    expect(err.message).not.toContain(Buffer.from(`k1:${SECRET}`).toString('base64'));
    expect(err.code).toBe('es_forbidden');
    expect(err.message).toBe(`Elasticsearch at ${proxy.url} refused checking the cluster health (403 Forbidden: ${reason}).`);
  });
});
