// `ctindex setup` on a real Elasticsearch: idempotent installs, upgrades from an older installed
// template (data streams rolled onto the new mappings, plain indices updated in place), the
// --no-setup check, and a namespace whose name is taken by something else.
import { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SinkError } from '../../src/errors.js';
import { namespaceTargets } from '../../src/setup/names.js';
import { loadShippedTemplates } from '../../src/setup/templates.js';
import { removeNamespace } from '../../src/setup/remove-namespace.js';
import { ensureSetup, setupElasticsearch, type SetupReport } from '../../src/setup/setup.js';

type Json = Record<string, unknown>;

const es = new Client({ node: inject('esUrl') });
/** The version every shipped template carries, which indices record in their mapping `_meta`. */
const current = { managed_by: 'ctindex', version: (await loadShippedTemplates())[0]!.version };
const run = Date.now().toString(36);
const namespaces = { fresh: `setup_fresh_${run}`, upgrade: `setup_upgrade_${run}`, conflict: `setup_conflict_${run}` };

afterAll(async () => {
  for (const ns of Object.values(namespaces)) await removeNamespace(es, ns);
  await es.indices.delete({ index: `ctindex-runs-${namespaces.conflict}_real`, ignore_unavailable: true });
  await es.close();
});

function statuses(report: SetupReport): Record<string, string> {
  return Object.fromEntries(report.templates.map((t) => [t.name, t.status]));
}

function actions(report: SetupReport): Record<string, readonly string[]> {
  return Object.fromEntries(report.targets.map((t) => [t.name, t.actions]));
}

async function mappingMeta(index: string): Promise<Json | undefined> {
  const res = await es.indices.getMapping({ index });
  return Object.values(res)[0]?.mappings._meta as Json | undefined;
}

/** Re-installs a shipped index template as an older ctindex would have: same content, version 0. */
async function installAsVersionZero(name: string): Promise<void> {
  const res = await es.indices.getIndexTemplate({ name });
  const body = res.index_templates[0]!.index_template as unknown as Json & { template: { mappings: Json } };
  const older = {
    ...body,
    version: 0,
    _meta: { ...(body._meta as Json), version: 0 },
    template: { ...body.template, mappings: { ...body.template.mappings, _meta: { managed_by: 'ctindex', version: 0 } } },
  };
  await es.transport.request({ method: 'PUT', path: `/_index_template/${name}`, body: older });
}

async function writeDeadLetter(dataStream: string, id: string): Promise<string> {
  const res = await es.create({
    index: dataStream, id, refresh: true,
    document: { '@timestamp': new Date().toISOString(), error: { code: 'es_rejected', message: 'test' }, ctindex: { origin: { bucket: 'b', key: 'k', record_index: 0 } } },
  });
  return res._index;
}

describe('setupElasticsearch', () => {
  it('installs everything once; a second run changes nothing', async () => {
    const ns = namespaces.fresh;
    const targets = namespaceTargets(ns);
    const first = await setupElasticsearch(es, { namespace: ns });
    expect(first.esVersion).toMatch(/^8\./);
    // This cluster has neither ILM nor the data stream lifecycle.
    expect(first.lifecycle.policy.mode).toBe('ctindex');
    expect(first.managed).toEqual({ mode: 'ctindex', rolledOver: [], deleted: [] });
    for (const status of Object.values(statuses(first))) expect(['created', 'updated', 'unchanged']).toContain(status);
    // No create-data-stream API here: the streams appear, from the templates, on the first write.
    expect(actions(first)).toEqual({ [targets.events]: ['deferred'], [targets.deadLetters]: ['deferred'], [targets.runs]: ['created'], [targets.state]: ['created'] });

    const second = await setupElasticsearch(es, { namespace: ns });
    expect(Object.values(statuses(second)).every((s) => s === 'unchanged')).toBe(true);
    expect(second.lifecycle.status).toBe('unchanged');
    expect(actions(second)).toEqual({ [targets.events]: ['deferred'], [targets.deadLetters]: ['deferred'], [targets.runs]: [], [targets.state]: [] });

    for (const index of [targets.state, targets.runs]) expect(await mappingMeta(index)).toEqual(current);
    const state = await es.indices.getMapping({ index: targets.state });
    expect(state[targets.state]?.mappings.dynamic).toBe('false');
    // A data stream created by a write gets the shipped mappings.
    const backing = await writeDeadLetter(targets.deadLetters, 'first');
    expect(await mappingMeta(backing)).toEqual(current);
  });

  it('upgrades an older installed version: updated, then unchanged', async () => {
    const ns = namespaces.upgrade;
    const targets = namespaceTargets(ns);
    await ensureSetup(es, { namespace: ns });
    await es.indices.delete({ index: targets.state });
    await installAsVersionZero('ctindex-deadletter');
    await installAsVersionZero('ctindex-state');
    // The namespace's indices are created under the older templates.
    const oldBacking = await writeDeadLetter(targets.deadLetters, 'before-upgrade');
    await es.indices.create({ index: targets.state });
    expect(await mappingMeta(oldBacking)).toMatchObject({ version: 0 });

    const check = await ensureSetup(es, { namespace: ns, install: false }).catch((e: unknown) => e);
    expect(check).toBeInstanceOf(SinkError);
    expect((check as SinkError).message).toMatch(/templates missing or outdated: ctindex-deadletter, ctindex-state; indices on older mappings: ctindex-deadletter-\w+, ctindex-state-\w+/);

    const upgraded = await setupElasticsearch(es, { namespace: ns });
    expect(statuses(upgraded)).toMatchObject({ 'ctindex-deadletter': 'updated', 'ctindex-state': 'updated', 'ctindex-cloudtrail': 'unchanged', 'ctindex-runs': 'unchanged' });
    expect(actions(upgraded)).toMatchObject({ [targets.deadLetters]: ['rolled_over'], [targets.state]: ['mapping_updated'] });
    expect(await mappingMeta(targets.state)).toEqual(current);
    // Writes now go to a new backing index with the current mappings.
    const newBacking = await writeDeadLetter(targets.deadLetters, 'after-upgrade');
    expect(newBacking).not.toBe(oldBacking);
    expect(await mappingMeta(newBacking)).toEqual(current);

    const again = await setupElasticsearch(es, { namespace: ns });
    expect(Object.values(statuses(again)).every((s) => s === 'unchanged')).toBe(true);
    expect(actions(again)).toEqual({ [targets.events]: ['deferred'], [targets.deadLetters]: [], [targets.runs]: [], [targets.state]: [] });
    await expect(ensureSetup(es, { namespace: ns, install: false })).resolves.toBeDefined();
  });

  it('refuses a namespace whose index name is taken by an alias', async () => {
    const ns = namespaces.conflict;
    await es.indices.create({ index: `ctindex-runs-${ns}_real`, aliases: { [`ctindex-runs-${ns}`]: {} } });
    await expect(setupElasticsearch(es, { namespace: ns })).rejects.toThrow(`ctindex-runs-${ns} exists as an alias, but ctindex needs an index there`);
  });

  it('rejects an invalid namespace before touching the cluster', async () => {
    await expect(setupElasticsearch(es, { namespace: 'Bad-Name' })).rejects.toThrow(/Invalid namespace "Bad-Name"/);
  });
});
