// The lifecycle on a real Elasticsearch without ILM or the data stream lifecycle: detection picks
// ctindex-managed; rollover happens when a condition is met; backing indices whose newest event is
// past retention are deleted, the write index never; and findExistingIds sees ids in every backing
// index, which `create` alone does not.
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { toEcsDocument } from '../../src/mapper/ecs-mapper.js';
import { findExistingIds } from '../../src/setup/existing-ids.js';
import { applyManagedLifecycle, backingIndices, chooseLifecycleMode, detectLifecycleSupport, type ManagedPolicy } from '../../src/setup/lifecycle.js';
import { namespaceTargets } from '../../src/setup/names.js';
import { removeNamespace } from '../../src/setup/remove-namespace.js';
import { ensureSetup, setupElasticsearch } from '../../src/setup/setup.js';

const es = new Client({ node: inject('esUrl') });
const namespace = `lifecycle_${Date.now().toString(36)}`;
const { events } = namespaceTargets(namespace);

/** Rolls over as soon as the write index holds a document. */
const eager: ManagedPolicy = { retention: '365d', rolloverMaxPrimaryShardSize: '1b', rolloverMaxAge: '30d' };
/** Never reached by a test. */
const patient: ManagedPolicy = { ...eager, rolloverMaxPrimaryShardSize: '100gb' };

const OLD = '2022-03-01T10:00:00Z';
const recent = (): string => new Date(Date.now() - 86_400_000).toISOString();

/** Indexes CloudTrail records with these eventIDs and times; returns the backing index each went to. */
async function indexEvents(events_: readonly [id: string, time: string][]): Promise<string[]> {
  const operations = events_.flatMap(([eventID, eventTime], i) => {
    const record = { eventVersion: '1.09', eventID, eventTime, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.1' };
    const { id, doc } = toEcsDocument(record, null, { bucket: 'b', key: 'k', recordIndex: i });
    return [{ create: { _index: events, _id: id } }, doc];
  });
  const res = await es.bulk({ operations, refresh: true });
  expect(res.errors).toBe(false);
  return res.items.map((item) => item.create!._index);
}

beforeAll(async () => {
  await ensureSetup(es, { namespace });
});

afterAll(async () => {
  await removeNamespace(es, namespace);
  await es.close();
});

describe('lifecycle detection', () => {
  it('finds neither ILM nor the data stream lifecycle here, so auto means ctindex', async () => {
    const support = await detectLifecycleSupport(es);
    expect(support).toEqual({ ilm: false, dsl: false });
    expect(chooseLifecycleMode('auto', support)).toBe('ctindex');
    await expect(setupElasticsearch(es, { namespace, lifecycle: 'ilm' })).rejects.toThrow(ConfigError);
    await expect(setupElasticsearch(es, { namespace, lifecycle: 'dsl' })).rejects.toThrow(/data stream lifecycle is not available/);
  });
});

describe('ctindex-managed lifecycle and duplicate look-ups', () => {
  it('rolls over when a condition is met, deletes what is past retention, never the write index', async () => {
    // Generation 1: only old events. The size condition is met, so it rolls over, and being wholly
    // past retention it is deleted in the same pass.
    const [gen1] = await indexEvents([['old-1', OLD], ['old-2', OLD]]);
    const first = await applyManagedLifecycle(es, namespace, eager);
    expect(first.rolledOver).toHaveLength(1);
    expect(first.rolledOver[0]).toMatch(new RegExp(`^${gen1!.replace(/\./g, '\\.')} → `));
    expect(first.deleted).toEqual([gen1]);
    const [gen2] = await backingIndices(es, events);
    expect(gen2).toBeDefined();
    expect(gen2).not.toBe(gen1);

    // Generation 2 holds an old and a recent event: rolled over, but kept (its newest is recent).
    expect(await indexEvents([['old-3', OLD], ['recent-1', recent()]])).toEqual([gen2, gen2]);
    const second = await applyManagedLifecycle(es, namespace, eager);
    expect(second.rolledOver).toHaveLength(1);
    expect(second.deleted).toEqual([]);
    const afterSecond = await backingIndices(es, events);
    expect(afterSecond).toHaveLength(2);
    expect(afterSecond[0]).toBe(gen2);
    const gen3 = afterSecond[1]!;

    // An empty write index does not roll over again (min_docs), and a write index full of old
    // events is never deleted.
    expect((await applyManagedLifecycle(es, namespace, eager)).rolledOver).toEqual([]);
    await indexEvents([['old-4', OLD]]);
    expect(await applyManagedLifecycle(es, namespace, patient)).toEqual({ mode: 'ctindex', rolledOver: [], deleted: [] });

    // Two years on, generation 2 has expired too; the write index still stays.
    const later = await applyManagedLifecycle(es, namespace, patient, { now: Date.now() + 2 * 365 * 86_400_000 });
    expect(later.deleted).toEqual([gen2]);
    expect(await backingIndices(es, events)).toEqual([gen3]);
  });

  it('finds ids in every backing index, which create alone would index twice after a rollover', async () => {
    const [older] = await indexEvents([['dup-1', recent()], ['dup-2', recent()]]);
    await applyManagedLifecycle(es, namespace, eager);
    const [newer] = await indexEvents([['dup-3', recent()]]);
    expect(newer).not.toBe(older);

    const found = await findExistingIds(es, events, ['dup-1', 'dup-2', 'dup-3', 'never-indexed']);
    expect([...found].sort()).toEqual(['dup-1', 'dup-2', 'dup-3']);
    // Why the look-up exists: `create` only conflicts inside the write index.
    const again = await indexEvents([['dup-1', recent()]]);
    expect(again).toEqual([newer]);
    expect(await findExistingIds(es, 'ctindex-cloudtrail-no_such_namespace', ['dup-1'])).toEqual(new Set());
    // More ids than one search returns.
    const many = Array.from({ length: 12_000 }, (_, i) => `absent-${i}`).concat('dup-2');
    expect(await findExistingIds(es, events, many)).toEqual(new Set(['dup-2']));
  });

  it('without a policy, applies the one setup recorded, which is ctindex here', async () => {
    const report = await applyManagedLifecycle(es, namespace);
    expect(report.mode).toBe('ctindex');
    expect(report.deleted).toEqual([]);
  });
});
