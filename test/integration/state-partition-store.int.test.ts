// PartitionStateStore against the real Elasticsearch: leases under races and expiry, conditional
// commits, and the round trip of checkpoint and correlation state. Each test gets its own
// namespace (a plain ctindex-state-<ns> index, deleted afterwards).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CtindexError, SinkError } from '../../src/errors.js';
import type { CorrelationSnapshot } from '../../src/rules/types.js';
import { createEsClient } from '../../src/sink/es-client.js';
import type { Partition } from '../../src/source/types.js';
import { PartitionStateStore, stateIndex, type PartitionStateStoreOptions } from '../../src/state/partition-state-store.js';
import { stateDocId } from '../../src/state/state-doc-id.js';

const es = createEsClient({ url: inject('esUrl') });
const namespaces: string[] = [];
const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const TTL = 60_000;

afterAll(async () => {
  if (namespaces.length > 0) await es.indices.delete({ index: namespaces.map(stateIndex), ignore_unavailable: true });
  await es.close();
});

function namespace(): string {
  const ns = `stateit_${randomBytes(4).toString('hex')}`;
  namespaces.push(ns);
  return ns;
}

function partition(n = 1): Partition {
  const account = `12345678901${n % 10}`;
  return { id: `o-abc123/${account}/us-east-1`, account, region: 'us-east-1', org: 'o-abc123', prefix: `AWSLogs/o-abc123/${account}/CloudTrail/us-east-1/` };
}

/** A store whose clock the test moves by hand. */
function storeAt(ns: string, clock: { t: number }, options: PartitionStateStoreOptions = {}): PartitionStateStore {
  return new PartitionStateStore(es, ns, { now: () => clock.t, ...options });
}

const snapshot: CorrelationSnapshot = {
  version: 1,
  lists: { 'ConsoleLogin|alice': [T0, T0 + 1000] },
  marks: { 'ünïcödé \u2028 "quoted"': 3 },
};

describe('PartitionStateStore', () => {
  it('gives a new partition to exactly one of two owners racing for it', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    for (let n = 0; n < 10; n++) {
      const [a, b] = await Promise.all([storeAt(ns, clock).acquireLease(partition(n), 'owner-a', TTL), storeAt(ns, clock).acquireLease(partition(n), 'owner-b', TTL)]);
      expect([a, b].filter((h) => h !== null)).toHaveLength(1);
    }
  });

  it('gives an expired lease to exactly one of two owners racing for it', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    for (let n = 0; n < 10; n++) await storeAt(ns, clock).acquireLease(partition(n), 'crashed-owner', TTL);
    clock.t += TTL + 1;
    for (let n = 0; n < 10; n++) {
      const [a, b] = await Promise.all([storeAt(ns, clock).acquireLease(partition(n), 'owner-a', TTL), storeAt(ns, clock).acquireLease(partition(n), 'owner-b', TTL)]);
      expect([a, b].filter((h) => h !== null)).toHaveLength(1);
    }
  });

  it('refuses a live lease to others until it expires, then lets one take it over', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    const store = storeAt(ns, clock);
    const first = await store.acquireLease(partition(), 'owner-a', TTL);
    expect(first).not.toBeNull();

    clock.t = T0 + TTL - 1;
    expect(await store.acquireLease(partition(), 'owner-b', TTL)).toBeNull();
    clock.t = T0 + TTL + 1;
    const taken = await store.acquireLease(partition(), 'owner-b', TTL);
    expect(taken).not.toBeNull();

    // The old holder finds out at its next write.
    expect(await store.renewLease(first!)).toBe(false);
    await expect(store.commit(first!, { checkpoint: { watermark: 'k1', done: ['k1'] }, correlation: snapshot })).rejects.toMatchObject({ code: 'lease_lost' });
    await expect(store.commit(taken!, { checkpoint: { watermark: 'k1', done: ['k1'] }, correlation: snapshot })).resolves.toBeUndefined();
  });

  it('keeps a renewed lease from others past its first expiry', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    const store = storeAt(ns, clock);
    const handle = await store.acquireLease(partition(), 'owner-a', TTL);
    clock.t = T0 + TTL - 1000;
    expect(await store.renewLease(handle!)).toBe(true);
    clock.t = T0 + TTL + 1000;
    expect(await store.acquireLease(partition(), 'owner-b', TTL)).toBeNull();
  });

  it('refuses a commit through a stale handle with lease_lost, and saves nothing', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    const store = storeAt(ns, clock);
    const stale = await store.acquireLease(partition(), 'owner-a', TTL);
    // The same owner taking its lease again (a restarted task) makes the first handle stale.
    const current = await store.acquireLease(partition(), 'owner-a', TTL);
    await store.commit(current!, { checkpoint: { watermark: 'k2', done: ['k1', 'k2'] }, correlation: snapshot });

    const err = await store.commit(stale!, { checkpoint: { watermark: 'k9', done: ['k9'] }, correlation: { version: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkError);
    expect((err as SinkError).message).toBe(
      `Lost the lease on partition ${partition().id}: another worker has written its state since; this worker's progress since its last commit is not saved and will be redone.`,
    );
    await store.releaseLease(current!);
    const reread = await store.acquireLease(partition(), 'owner-b', TTL);
    expect(reread!.checkpoint).toEqual({ watermark: 'k2', done: ['k1', 'k2'] });
  });

  it('never moves a checkpoint backwards', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    const store = storeAt(ns, clock);
    const handle = await store.acquireLease(partition(), 'owner-a', TTL);
    await store.commit(handle!, { checkpoint: { watermark: 'k5', done: ['k5'] }, correlation: snapshot });

    for (const watermark of ['k3', null]) {
      const err = await store.commit(handle!, { checkpoint: { watermark, done: [] }, correlation: snapshot }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CtindexError);
      expect((err as CtindexError).code).toBe('checkpoint_regression');
    }
    // Equal is not backwards: a commit that only adds done keys beyond the watermark.
    await store.commit(handle!, { checkpoint: { watermark: 'k5', done: ['k5', 'k7'] }, correlation: snapshot });
    await store.releaseLease(handle!);
    expect((await store.acquireLease(partition(), 'owner-a', TTL))!.checkpoint).toEqual({ watermark: 'k5', done: ['k5', 'k7'] });
  });

  it('round-trips checkpoint and correlation snapshot in one document, and a release frees the lease at once', async () => {
    const ns = namespace();
    const clock = { t: T0 };
    const store = storeAt(ns, clock, { runId: 'run-1' });
    const fresh = await store.acquireLease(partition(), 'owner-a', TTL);
    expect(fresh).toMatchObject({ checkpoint: { watermark: null, done: [] }, correlation: null, owner: 'owner-a', ttlMs: TTL });

    const checkpoint = { watermark: 'AWSLogs/x/2026/11/22/b.json.gz', done: ['AWSLogs/x/2026/11/22/a.json.gz', 'AWSLogs/x/2026/11/22/b.json.gz'] };
    clock.t = T0 + 5000;
    await store.commit(fresh!, { checkpoint, correlation: snapshot });
    await store.releaseLease(fresh!);

    const stored = await es.get<Record<string, unknown>>({ index: stateIndex(ns), id: stateDocId(partition().id) });
    expect(stored._source).toEqual({
      partition: { id: partition().id, account: partition().account, region: 'us-east-1', org: 'o-abc123', prefix: partition().prefix },
      checkpoint,
      correlation: JSON.stringify(snapshot),
      lease: { owner: 'owner-a', expiresAt: '2026-11-22T10:00:05.000Z' },
      updatedAt: '2026-11-22T10:00:05.001Z',
      runId: 'run-1',
    });

    const next = await storeAt(ns, clock).acquireLease(partition(), 'owner-b', TTL);
    expect(next!.checkpoint).toEqual(checkpoint);
    expect(next!.correlation).toEqual(snapshot);
  });

  it('reports a malformed state document as state_corrupt, naming the partition', async () => {
    const ns = namespace();
    await es.index({ index: stateIndex(ns), id: stateDocId(partition().id), document: { checkpoint: { watermark: 7, done: [] } }, refresh: true });
    await expect(storeAt(ns, { t: T0 }).acquireLease(partition(), 'owner-a', TTL)).rejects.toMatchObject({
      code: 'state_corrupt',
      message: `The state of partition ${partition().id} in ${stateIndex(ns)} is malformed (checkpoint.watermark); fix or delete that document.`,
    });
  });
});
