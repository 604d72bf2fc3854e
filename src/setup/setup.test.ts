// setupElasticsearch/ensureSetup against scripted clusters: the paths the test cluster (no ILM, no
// DSL, no security) cannot exercise for real — an ILM cluster, a DSL cluster, missing privileges,
// unsupported versions. The ctindex-managed path runs against real Elasticsearch in
// test/integration/setup-*.int.test.ts.
import { errors, type Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { SinkError } from '../errors.js';
import type { Json } from './es-request.js';
import { ilmPolicyRequest, lifecyclePolicy } from './lifecycle.js';
import { checkEsVersion, ensureSetup, setupElasticsearch } from './setup.js';
import { loadShippedTemplates } from './templates.js';

const schemaVersion = (await loadShippedTemplates())[0]!.version;

type Handler = (body: Json | undefined, query: Record<string, unknown> | undefined) => unknown;

function responseError(statusCode: number, body: unknown): errors.ResponseError {
  return new errors.ResponseError({
    body, statusCode, headers: {}, warnings: null,
    meta: { context: null, name: 'test', request: { params: { method: 'GET', path: '/' }, options: {}, id: 1 }, connection: null, attempts: 0, aborted: false },
  });
}

/** A cluster answering `METHOD /path` routes; any other route is "no handler found", as Elasticsearch answers. */
function fakeCluster(routes: Record<string, Handler>) {
  const calls: { route: string; body: Json | undefined }[] = [];
  const es = {
    connectionPool: { connections: [{ url: new URL('http://fake:9200') }] },
    transport: {
      request: async (params: { method: string; path: string; body?: Json; querystring?: Record<string, unknown> }) => {
        const route = `${params.method} ${params.path}`;
        calls.push({ route, body: params.body });
        const handler = routes[route];
        if (handler === undefined) throw responseError(400, { error: `no handler found for uri [${params.path}] and method [${params.method}]` });
        return handler(params.body, params.querystring);
      },
    },
  } as unknown as Client;
  return { es, calls, bodyOf: (route: string) => calls.find((c) => c.route === route)?.body };
}

const version = (v: string): Handler => () => ({ nodes: { n1: { version: v } } });
const notFound = (body: unknown = {}): Handler => () => {
  throw responseError(404, body);
};

/** A fresh 8.x cluster: nothing installed, every write accepted. */
function freshCluster(extra: Record<string, Handler>) {
  return fakeCluster({
    'GET /_nodes/_local': version('8.19.0'),
    'GET /_component_template/ctindex-*': notFound({ component_templates: [] }),
    'GET /_index_template/ctindex-*': notFound({ index_templates: [] }),
    'GET /_resolve/index/ctindex-cloudtrail-ns,ctindex-deadletter-ns,ctindex-runs-ns,ctindex-state-ns': () => ({ indices: [], aliases: [], data_streams: [] }),
    'GET /_cluster/health/ctindex-state-ns,ctindex-runs-ns': () => ({ status: 'yellow', timed_out: false }),
    ...Object.fromEntries(
      ['component_template/ctindex-base@settings', 'component_template/ctindex-cloudtrail@mappings', 'component_template/ctindex-cloudtrail@settings',
        'component_template/ctindex-common@mappings', 'component_template/ctindex-deadletter@mappings', 'index_template/ctindex-cloudtrail',
        'index_template/ctindex-deadletter', 'index_template/ctindex-runs', 'index_template/ctindex-state']
        .map((p) => [`PUT /_${p.replace('@', '%40')}`, () => ({ acknowledged: true })]),
    ),
    'PUT /_data_stream/ctindex-cloudtrail-ns': () => ({ acknowledged: true }),
    'PUT /_data_stream/ctindex-deadletter-ns': () => ({ acknowledged: true }),
    'PUT /ctindex-state-ns': () => ({ acknowledged: true }),
    'PUT /ctindex-runs-ns': () => ({ acknowledged: true }),
    ...extra,
  });
}

describe('setupElasticsearch on an ILM cluster', () => {
  it('installs the ILM policy and points the data stream templates at it', async () => {
    const cluster = freshCluster({
      'GET /_ilm/status': () => ({ operation_mode: 'RUNNING' }),
      'GET /_lifecycle/stats': () => ({ data_streams: [] }),
      'GET /_ilm/policy/ctindex': notFound(),
      'PUT /_ilm/policy/ctindex': () => ({ acknowledged: true }),
    });
    const report = await setupElasticsearch(cluster.es, { namespace: 'ns', retention: '90d', rolloverMaxPrimaryShardSize: '10gb' });
    const policy = lifecyclePolicy('ilm', { retention: '90d', rolloverMaxPrimaryShardSize: '10gb' });
    expect(report.lifecycle).toEqual({ policy, status: 'created' });
    expect(cluster.bodyOf('PUT /_ilm/policy/ctindex')).toEqual(ilmPolicyRequest(policy));
    const events = cluster.bodyOf('PUT /_index_template/ctindex-cloudtrail') as { template: { settings: Json }; _meta: Json };
    expect(events.template.settings).toEqual({ 'index.lifecycle.name': 'ctindex' });
    expect(events._meta.lifecycle).toMatchObject({ mode: 'ilm', retention: '90d' });
    expect((cluster.bodyOf('PUT /_index_template/ctindex-state') as { template: Json }).template).not.toHaveProperty('settings');
    expect(report.templates.every((t) => t.status === 'created')).toBe(true);
    expect(report.targets.map((t) => [t.name, t.actions])).toEqual([
      ['ctindex-cloudtrail-ns', ['created']], ['ctindex-deadletter-ns', ['created']], ['ctindex-runs-ns', ['created']], ['ctindex-state-ns', ['created']],
    ]);
    // The policy goes in before the templates that name it.
    const routes = cluster.calls.map((c) => c.route);
    expect(routes.indexOf('PUT /_ilm/policy/ctindex')).toBeLessThan(routes.indexOf('PUT /_index_template/ctindex-cloudtrail'));
    expect(report.managed).toBeUndefined();
  });

  it('attaches the policy to the backing indices of an existing data stream', async () => {
    const cluster = freshCluster({
      'GET /_ilm/status': () => ({}),
      'GET /_ilm/policy/ctindex': notFound(),
      'PUT /_ilm/policy/ctindex': () => ({}),
      'GET /_resolve/index/ctindex-cloudtrail-ns,ctindex-deadletter-ns,ctindex-runs-ns,ctindex-state-ns': () => ({
        indices: [], aliases: [], data_streams: [{ name: 'ctindex-cloudtrail-ns', backing_indices: ['.ds-a-1', '.ds-a-2'] }],
      }),
      'GET /.ds-a-2/_mapping': () => ({ '.ds-a-2': { mappings: { _meta: { version: schemaVersion } } } }),
      'GET /ctindex-cloudtrail-ns/_settings/index.lifecycle.name': () => ({ '.ds-a-2': { settings: { 'index.lifecycle.name': 'ctindex' } } }),
      'PUT /ctindex-cloudtrail-ns/_settings': () => ({}),
    });
    const report = await setupElasticsearch(cluster.es, { namespace: 'ns', lifecycle: 'ilm' });
    expect(cluster.bodyOf('PUT /ctindex-cloudtrail-ns/_settings')).toEqual({ 'index.lifecycle.name': 'ctindex' });
    expect(report.targets[0]).toEqual({ name: 'ctindex-cloudtrail-ns', kind: 'data_stream', actions: ['lifecycle_updated'] });
  });
});

describe('setupElasticsearch on a DSL cluster', () => {
  it('sets data_retention in the templates and the cluster rollover size when it differs', async () => {
    const cluster = freshCluster({
      'GET /_ilm/status': () => {
        throw responseError(405, { error: 'Incorrect HTTP method for uri [/_ilm/status] and method [GET], allowed: [POST]', status: 405 });
      },
      'GET /_lifecycle/stats': () => ({}),
      'GET /_cluster/settings': () => ({ persistent: {}, transient: {} }),
      'PUT /_cluster/settings': () => ({}),
    });
    const report = await setupElasticsearch(cluster.es, { namespace: 'ns', retention: '30d', rolloverMaxPrimaryShardSize: '10gb' });
    expect(report.lifecycle.policy).toEqual(lifecyclePolicy('dsl', { retention: '30d', rolloverMaxPrimaryShardSize: '10gb' }));
    expect((cluster.bodyOf('PUT /_index_template/ctindex-deadletter') as { template: Json }).template.lifecycle).toEqual({ data_retention: '30d' });
    expect(cluster.bodyOf('PUT /_cluster/settings')).toEqual({
      persistent: { 'cluster.lifecycle.default.rollover': 'max_age=auto,max_primary_shard_size=10gb,min_docs=1,max_primary_shard_docs=200000000' },
    });
  });

  it('leaves the cluster setting alone at the default size', async () => {
    const cluster = freshCluster({
      'GET /_lifecycle/stats': () => ({}),
      'GET /_cluster/settings': () => ({ persistent: {}, transient: {} }),
    });
    const report = await setupElasticsearch(cluster.es, { namespace: 'ns', lifecycle: 'dsl' });
    expect(report.lifecycle.policy.mode).toBe('dsl');
    expect(cluster.calls.some((c) => c.route === 'PUT /_cluster/settings')).toBe(false);
  });
});

describe('existing data streams', () => {
  const withStream = (meta: Json | undefined) => freshCluster({
    'GET /_resolve/index/ctindex-cloudtrail-ns,ctindex-deadletter-ns,ctindex-runs-ns,ctindex-state-ns': () => ({
      indices: [], aliases: [], data_streams: [{ name: 'ctindex-cloudtrail-ns', backing_indices: ['.ds-b-1'] }],
    }),
    'GET /.ds-b-1/_mapping': () => ({ '.ds-b-1': { mappings: meta === undefined ? {} : { _meta: meta } } }),
    'POST /ctindex-cloudtrail-ns/_rollover': () => ({ rolled_over: true }),
  });

  it('rolls a stream whose write index has older ctindex mappings onto the new ones', async () => {
    const cluster = withStream({ managed_by: 'ctindex', version: schemaVersion - 1 });
    const report = await ensureSetup(cluster.es, { namespace: 'ns' });
    expect(report.targets[0]).toEqual({ name: 'ctindex-cloudtrail-ns', kind: 'data_stream', actions: ['rolled_over'] });
  });

  it('leaves alone a stream another template made, instead of rolling it over on every run', async () => {
    const cluster = withStream(undefined);
    const report = await ensureSetup(cluster.es, { namespace: 'ns' });
    expect(report.targets[0]?.actions).toEqual([]);
    expect(report.warnings).toContain(".ds-b-1 was not created from ctindex's templates; its mappings are left as they are.");
    expect(cluster.calls.some((c) => c.route.endsWith('/_rollover'))).toBe(false);
  });
});

describe('failures', () => {
  it('fails with one line naming the missing privilege', async () => {
    const cluster = freshCluster({
      'GET /_component_template/ctindex-*': () => {
        throw responseError(403, { error: { type: 'security_exception', reason: 'action [cluster:monitor/component_template/get] is unauthorized for user [sync]' }, status: 403 });
      },
    });
    const failure = await ensureSetup(cluster.es, { namespace: 'ns' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SinkError);
    const message = (failure as SinkError).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/refused reading the installed templates \(403 Forbidden: action \[cluster:monitor\/component_template\/get\] is unauthorized for user \[sync\]\)/);
    expect(message).toContain('manage_index_templates');
  });

  it('with install: false, refuses instead of installing', async () => {
    const cluster = freshCluster({});
    await expect(ensureSetup(cluster.es, { namespace: 'ns', install: false })).rejects.toThrow(/not set up for this ctindex version \(templates missing or outdated: ctindex-base@settings, .*; run `ctindex setup`/);
    expect(cluster.calls.filter((c) => c.route.startsWith('PUT '))).toEqual([]);
  });

  it('accepts 8.x, warns on 7.9+ and 9.x, refuses older', async () => {
    expect(await checkEsVersion(fakeCluster({ 'GET /_nodes/_local': version('8.19.21') }).es)).toEqual({ version: '8.19.21' });
    expect((await checkEsVersion(fakeCluster({ 'GET /_nodes/_local': version('7.17.0') }).es)).warning).toMatch(/outside the tested range/);
    expect((await checkEsVersion(fakeCluster({ 'GET /_nodes/_local': version('9.1.0') }).es)).warning).toMatch(/outside the tested range/);
    await expect(checkEsVersion(fakeCluster({ 'GET /_nodes/_local': version('7.4.2') }).es)).rejects.toThrow(/7.4.2 is not supported/);
    const forbidden = fakeCluster({ 'GET /_nodes/_local': () => { throw responseError(403, { error: { type: 'security_exception', reason: 'no' }, status: 403 }); } });
    expect(await checkEsVersion(forbidden.es)).toEqual({ version: undefined, warning: expect.stringMatching(/monitor privilege/) });
  });
});
