// `ctindex sync` as operators run it (the built CLI as a real process, real Elasticsearch, a real
// S3 API server), checked against its two promises: exactly one document per CloudTrail record
// whatever happens to a run (kill -9, a rival run, a second pod), and correlation that does not
// care where file or run boundaries fall. Every test seeds its own bucket and namespace and
// compares Elasticsearch with exactly what was written, never with what a run claims it did.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureBucket } from '../../src/demo-data/write-trail.js';
import type { RunSummary } from '../../src/pipeline/run-stats.js';
import { shardOf } from '../../src/pipeline/shard.js';
import { removeNamespace } from '../../src/setup/remove-namespace.js';
import { createEsClient } from '../../src/sink/es-client.js';
import { stateIndex } from '../../src/state/partition-state-store.js';
import { runCli, startCli, summaryOf, type CliResult } from '../helpers/cli.js';
import { describeInstances, failedConsoleLogin, trailFile, trailKey, type Actor } from '../helpers/cloudtrail-records.js';
import { countDocs, idCensus, idsWithRule, removeBucket, seedTrailRecorded, sleep, stateDocs, waitFor, type SeededTrail, type StoredState } from '../helpers/sync-checks.js';
import { putObject, testS3Client, uniqueName } from '../helpers/trail-bucket.js';

const esUrl = inject('esUrl');
const s3Endpoint = inject('s3Endpoint');
const es = createEsClient({ url: esUrl });
const s3 = testS3Client(s3Endpoint);

/** Trails start the day after --since, so every generated file is inside the window. */
const SINCE = '2026-10-01';
const START = new Date('2026-10-02T00:00:00Z');
const ACCOUNTS_2 = ['111111111111', '222222222222'];
const REGIONS_2 = ['us-east-1', 'eu-west-1'];
const ACCOUNTS_3 = [...ACCOUNTS_2, '333333333333'];
const REGIONS_3 = [...REGIONS_2, 'ap-southeast-2'];

const created: { bucket: string; namespace: string }[] = [];

afterAll(async () => {
  for (const { bucket, namespace } of created) {
    await removeNamespace(es, namespace).catch(() => undefined);
    await removeBucket(s3, bucket).catch(() => undefined);
  }
  await es.close();
});

/** A bucket and namespace of this test alone. */
function fresh(label: string): { bucket: string; namespace: string } {
  const name = uniqueName(label);
  const pair = { bucket: `ctindex-${name}`, namespace: name };
  created.push(pair);
  return pair;
}

function syncArgs(bucket: string, namespace: string, extra: readonly string[] = []): string[] {
  return ['sync', '--bucket', bucket, '--s3-endpoint', s3Endpoint, '--es-url', esUrl, '--namespace', namespace, '--since', SINCE, '--log-format', 'json', ...extra];
}

/** The full summary the CLI prints (the helper's SyncSummary names only part of it). */
type SyncSummary = RunSummary;

/** Runs sync and returns its summary, failing with the run's stderr when it did not exit 0. */
async function syncOk(bucket: string, namespace: string, extra: readonly string[] = []): Promise<SyncSummary> {
  return okSummary(await runCli(syncArgs(bucket, namespace, extra)));
}

function okSummary(result: CliResult): SyncSummary {
  expect(result.code, `sync exited ${result.code}:\n${result.stderr.slice(-3000)}`).toBe(0);
  const summary = summaryOf(result) as unknown as SyncSummary;
  expect(summary.exitCode).toBe(0);
  expect(summary.problems).toEqual({});
  return summary;
}

/** `ctindex setup` for the namespace, as the deployment's setup Job runs it. */
async function setupOk(namespace: string): Promise<void> {
  const result = await runCli(['setup', '--es-url', esUrl, '--namespace', namespace, '--log-format', 'json']);
  expect(result.code, result.stderr).toBe(0);
}

/** Exactly one document per seeded record: `_count`, distinct ids, and the ids themselves. */
async function expectExactlyOnce(namespace: string, trail: { eventIds: ReadonlySet<string> }): Promise<void> {
  const census = await idCensus(es, namespace, trail.eventIds);
  expect(census).toEqual({ count: trail.eventIds.size, distinct: trail.eventIds.size, duplicated: [], missing: [], unexpected: [] });
}

/** Waits until no partition lease is live any more (a killed run's leases only expire). */
async function leasesExpired(namespace: string): Promise<void> {
  await waitFor(
    'every partition lease to expire',
    async () => ((await stateDocs(es, namespace)).every((s) => Date.parse(s.lease.expiresAt) < Date.now()) ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

/**
 * Waits, like waitFor, for the moment to kill a running sync; fails at once, with the run's own
 * words, if the run ended by itself first (then the kill would test nothing).
 */
async function killMoment<T>(run: ReturnType<typeof startCli>, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  return waitFor(
    what,
    async () => {
      if (run.child.exitCode !== null) {
        const r = await run.result;
        throw new Error(`the run ended on its own (exit ${r.code}) before ${what}:\n${r.stderr.slice(-3000)}`);
      }
      return probe();
    },
    { intervalMs: 50 },
  );
}

/** Every partition's state: committed up to its last key, lease released, nothing else stored. */
function expectSettledStates(states: readonly StoredState[], trail: SeededTrail, finishedBy: number): void {
  expect(states.map((s) => s.partition.id).sort()).toEqual([...trail.lastKeys.keys()].sort());
  for (const s of states) {
    const lastKey = trail.lastKeys.get(s.partition.id)!;
    expect(s.checkpoint.watermark, s.partition.id).toBe(lastKey);
    expect(s.checkpoint.done, s.partition.id).toContain(lastKey);
    expect(s.checkpoint.done.every((k) => k <= lastKey && k.startsWith(`AWSLogs/${s.partition.id.replace('/', '/CloudTrail/')}/`)), s.partition.id).toBe(true);
    // Released at the end of the run, not left to expire.
    expect(Date.parse(s.lease.expiresAt), s.partition.id).toBeLessThanOrEqual(finishedBy);
  }
}

describe('ctindex sync: exactly once across crashes, rivals and shards', () => {
  it('resumes after kill -9 at two different moments with exactly one document per record', async () => {
    const { bucket, namespace } = fresh('kill');
    // ~75 small files per partition; committing every 5 files gives each run many commit points.
    const trail = await seedTrailRecorded(s3, bucket, { seed: 11, events: 30_000, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    const total = trail.summary.events;
    // Short leases, so the next run need not wait long for a dead run's. 6 s rather than 3 s: a run
    // renews every TTL/3, and these runs are killed before their first renewal, so the renewal
    // race of a lone run (see the lease test below) cannot end them before the kill.
    const killedRunArgs = ['--commit-every-files', '5', '--lease-ttl-ms', '6000'];

    // Moment 1: as soon as any partition has committed a checkpoint.
    const first = startCli(syncArgs(bucket, namespace, killedRunArgs));
    await killMoment(first, 'a first committed checkpoint', async () => ((await stateDocs(es, namespace)).some((s) => s.checkpoint.watermark !== null) ? true : undefined));
    first.child.kill('SIGKILL');
    // Killed, not finished on its own: the crash really hit mid-run.
    expect((await first.result).signal).toBe('SIGKILL');
    await leasesExpired(namespace);
    // Measured after the leases expired, so bulk requests the dead process had sent are counted.
    const afterFirstKill = await countDocs(es, namespace);
    expect(afterFirstKill).toBeGreaterThan(0);
    expect(afterFirstKill).toBeLessThan(total);

    // Moment 2: the resumed run dies too, in the middle of its work.
    const second = startCli(syncArgs(bucket, namespace, killedRunArgs));
    await killMoment(second, 'another quarter of the records', async () => ((await countDocs(es, namespace)) > afterFirstKill + total / 4 ? true : undefined));
    second.child.kill('SIGKILL');
    expect((await second.result).signal).toBe('SIGKILL');
    await leasesExpired(namespace);
    const afterSecondKill = await countDocs(es, namespace);
    expect(afterSecondKill).toBeLessThan(total);
    const committed = await stateDocs(es, namespace);
    expect(committed.filter((s) => s.checkpoint.watermark !== null).length).toBeGreaterThan(0);

    // The operator's next run: picks up every partition from its checkpoint and finishes. (Default
    // commit interval, so the final checkpoints do not depend on intermediate commits, which the
    // watermark test covers.)
    const resumed = await syncOk(bucket, namespace);
    expect(resumed.partitions).toEqual({ listed: 4, synced: 4, busy: 0 });
    // It resumed from the checkpoints: committed files are not read again…
    expect(resumed.objects.alreadyDone).toBeGreaterThan(0);
    expect(resumed.objects.read).toBeLessThan(trail.summary.logFiles);
    // …and of what it did read again (files done but not committed before the kill), Elasticsearch
    // already held the documents: it created exactly the missing ones, the rest were duplicates.
    expect(resumed.documents.indexed).toBe(total - afterSecondKill);
    expect(resumed.documents.indexed + resumed.documents.duplicates).toBe(resumed.records);
    await expectExactlyOnce(namespace, trail);
    expectSettledStates(await stateDocs(es, namespace), trail, Date.parse(resumed.finishedAt));
  });

  it("reports a killed run's partitions busy until its lease expires, then takes them over", async () => {
    const { bucket, namespace } = fresh('lease');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 12, events: 20_000, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    const partitions = trail.lastKeys.size;

    const holder = startCli(syncArgs(bucket, namespace, ['--commit-every-files', '5', '--lease-ttl-ms', '4000']));
    const pid = holder.child.pid!;
    // Owners are `<host>:<pid>:<runId>`: wait until this process holds every partition and writes.
    const held = await killMoment(holder, 'the first run holds every lease and indexes documents', async () => {
      const mine = (await stateDocs(es, namespace)).filter((s) => s.lease.owner.split(':')[1] === String(pid) && Date.parse(s.lease.expiresAt) > Date.now());
      return mine.length === partitions && (await countDocs(es, namespace)) > 0 ? mine : undefined;
    });
    holder.child.kill('SIGKILL');
    expect((await holder.result).signal).toBe('SIGKILL');
    const killedAt = Date.now();

    // Right after the crash: the dead run's leases are still live. The next run skips those
    // partitions as busy, which is not an error (in a scale-out another pod may be on them).
    const early = okSummary(await runCli(syncArgs(bucket, namespace)));
    const stillLive = Math.min(...(await stateDocs(es, namespace)).map((s) => Date.parse(s.lease.expiresAt)));
    expect(stillLive, 'the check ran while the leases were live').toBeGreaterThan(Date.parse(early.finishedAt));
    expect(early.partitions).toEqual({ listed: partitions, synced: 0, busy: partitions });
    expect(early.records).toBe(0);
    // Nobody wrote over the dead run's state.
    expect((await stateDocs(es, namespace)).map((s) => s.lease.owner).sort()).toEqual(held.map((s) => s.lease.owner).sort());

    await leasesExpired(namespace);
    expect(Date.now() - killedAt).toBeLessThan(4000 + 2000);
    const takeover = await syncOk(bucket, namespace);
    expect(takeover.partitions).toEqual({ listed: partitions, synced: partitions, busy: 0 });
    await expectExactlyOnce(namespace, trail);
    const states = await stateDocs(es, namespace);
    expectSettledStates(states, trail, Date.parse(takeover.finishedAt));
    for (const s of states) expect(s.lease.owner.endsWith(`:${takeover.runId}`)).toBe(true);
  });

  it('keeps its own leases in a lone run with a short lease TTL and frequent commits', async () => {
    // Nobody else runs here, so no lease can be lost: a `lease_lost` or `partition_failed` can only
    // come from the run's lease renewal racing its own commits on the state document.
    const { bucket, namespace } = fresh('renew');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 13, events: 20_000, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    const result = await runCli(syncArgs(bucket, namespace, ['--commit-every-files', '1', '--lease-ttl-ms', '3000']));
    const summary = okSummary(result);
    expect(summary.partitions).toEqual({ listed: 4, synced: 4, busy: 0 });
    expect(summary.documents.indexed).toBe(trail.summary.events);
    await expectExactlyOnce(namespace, trail);
  });

  it("moves each partition's checkpoint to its last key when it commits every few files", async () => {
    // One process, no rival, no crash: after a complete run every partition's watermark must be its
    // last key. With several commit points per partition, each commit must walk every key listed
    // since the previous one, including keys the prefetch listed after the first commit.
    const { bucket, namespace } = fresh('watermark');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 14, events: 4_000, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    expect(Math.min(...trail.files.values())).toBeGreaterThanOrEqual(10);
    const summary = await syncOk(bucket, namespace, ['--commit-every-files', '2', '--concurrency', '2']);
    expect(summary.partitions).toEqual({ listed: 4, synced: 4, busy: 0 });
    await expectExactlyOnce(namespace, trail);
    expectSettledStates(await stateDocs(es, namespace), trail, Date.parse(summary.finishedAt));
  });

  it.each([2, 4])('lets %i concurrent processes share one trail: each record indexed once, consistent checkpoints', async (processes) => {
    const { bucket, namespace } = fresh(`rivals${processes}`);
    const trail = await seedTrailRecorded(s3, bucket, { seed: 20 + processes, events: 18_000, accounts: ACCOUNTS_3, regions: REGIONS_3, start: START });
    const partitions = trail.lastKeys.size;
    // Installed first, as the setup Job does: racing on a fresh namespace is the next test's subject.
    await setupOk(namespace);
    // --concurrency 4: each process works 4 partitions at a time, so later partitions are tried
    // while others hold or have just released them (both "busy" and "already done" happen).
    const results = await Promise.all(Array.from({ length: processes }, () => runCli(syncArgs(bucket, namespace, ['--concurrency', '4']))));
    const summaries = results.map(okSummary);

    for (const s of summaries) {
      expect(s.partitions.listed).toBe(partitions);
      // Every partition a process listed it either synced or found leased by a rival.
      expect(s.partitions.synced + s.partitions.busy).toBe(partitions);
    }
    const sum = (f: (s: SyncSummary) => number) => summaries.reduce((n, s) => n + f(s), 0);
    // No record was read by two processes: no overlap of leases, and a partition taken after its
    // release is resumed from its checkpoint.
    expect(sum((s) => s.records)).toBe(trail.summary.events);
    expect(sum((s) => s.documents.indexed)).toBe(trail.summary.events);
    expect(sum((s) => s.documents.duplicates)).toBe(0);
    expect(sum((s) => s.partitions.synced)).toBeGreaterThanOrEqual(partitions);
    await expectExactlyOnce(namespace, trail);
    const states = await stateDocs(es, namespace);

    // A later run finds nothing left to do.
    const after = await syncOk(bucket, namespace);
    expect(after.partitions).toEqual({ listed: partitions, synced: partitions, busy: 0 });
    expect(after.records).toBe(0);
    expect(after.objects.read).toBe(0);
    expect(after.objects.alreadyDone).toBe(after.objects.listed);
    expect(await countDocs(es, namespace)).toBe(trail.summary.events);

    // The checkpoints the rivals left (read before the later run touched them).
    expectSettledStates(states, trail, Math.max(...summaries.map((s) => Date.parse(s.finishedAt))));
  });

  it('lets four processes start together on a fresh namespace, all finishing without error', async () => {
    // The first scheduled runs of a scale-out may all start before anything is installed (the
    // CronJob does not wait for the setup Job): each sync installs what is missing, and a process
    // that finds an index another one is creating must wait for it, not fail. The window is short
    // (a new index's shard starting), hence several rounds, each on a fresh namespace.
    for (let round = 0; round < 4; round++) {
      const { bucket, namespace } = fresh(`first${round}`);
      const trail = await seedTrailRecorded(s3, bucket, { seed: 40 + round, events: 900, accounts: ACCOUNTS_3, regions: REGIONS_3, start: START });
      const results = await Promise.all(Array.from({ length: 4 }, () => runCli(syncArgs(bucket, namespace, ['--concurrency', '4']))));
      results.forEach(okSummary);
      await expectExactlyOnce(namespace, trail);
    }
  });

  it('retries state reads while the state index shard starts, even without setup\'s wait (--no-setup)', async () => {
    // The state store itself must ride out 503 no_shard_available (a recovery or relocation can
    // cause it at any time), not only setup's wait for a new index.
    const { bucket, namespace } = fresh('norestart');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 46, events: 600, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    await setupOk(namespace);
    const index = stateIndex(namespace);
    await es.indices.delete({ index });
    await es.indices.create({ index, settings: { 'index.routing.allocation.include._name': 'no-node-is-called-this' }, wait_for_active_shards: 0 });
    const run = startCli(syncArgs(bucket, namespace, ['--no-setup']));
    await sleep(2000);
    await es.indices.putSettings({ index, settings: { 'index.routing.allocation.include._name': null } });
    okSummary(await run.result);
    await expectExactlyOnce(namespace, trail);
  });

  it('waits for a state index whose shard is still starting instead of failing', async () => {
    // The previous test's window, held open on purpose: the state index exists (a rival process just
    // created it) but its primary shard has not started, so reads of it answer 503
    // no_shard_available. Here the shard is kept unassigned for 2 s and then let go.
    const { bucket, namespace } = fresh('starting');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 45, events: 900, accounts: ACCOUNTS_2, regions: REGIONS_2, start: START });
    await setupOk(namespace);
    const index = stateIndex(namespace);
    await es.indices.delete({ index });
    await es.indices.create({ index, settings: { 'index.routing.allocation.include._name': 'no-node-is-called-this' }, wait_for_active_shards: 0 });
    const run = startCli(syncArgs(bucket, namespace));
    await sleep(2000);
    await es.indices.putSettings({ index, settings: { 'index.routing.allocation.include._name': null } });
    okSummary(await run.result);
    await expectExactlyOnce(namespace, trail);
  });

  it('splits partitions between --shard 0/2 and 1/2 run together, each partition synced by exactly one', async () => {
    const { bucket, namespace } = fresh('shard');
    const trail = await seedTrailRecorded(s3, bucket, { seed: 31, events: 9_000, accounts: ACCOUNTS_3, regions: REGIONS_3, start: START });
    const ids = [...trail.lastKeys.keys()];
    const owned = [0, 1].map((i) => ids.filter((id) => shardOf(id, 2) === i).sort());
    // Precondition of a meaningful test: both shards own partitions.
    expect(owned.map((o) => o.length).every((n) => n > 0)).toBe(true);
    await setupOk(namespace);

    const summaries = (await Promise.all([0, 1].map((i) => runCli(syncArgs(bucket, namespace, ['--shard', `${i}/2`]))))).map(okSummary);
    summaries.forEach((s, i) => {
      expect(s.shard).toBe(`${i}/2`);
      expect(s.partitions).toEqual({ listed: owned[i]!.length, synced: owned[i]!.length, busy: 0 });
    });
    expect(summaries[0]!.partitions.synced + summaries[1]!.partitions.synced).toBe(ids.length);
    expect(summaries[0]!.records + summaries[1]!.records).toBe(trail.summary.events);
    await expectExactlyOnce(namespace, trail);

    // Which shard synced which partition, from the state documents (runId of the last write).
    const states = await stateDocs(es, namespace);
    expectSettledStates(states, trail, Math.max(...summaries.map((s) => Date.parse(s.finishedAt))));
    const byRun = [0, 1].map((i) => states.filter((s) => s.runId === summaries[i]!.runId).map((s) => s.partition.id).sort());
    expect(byRun).toEqual(owned);
  });
});

describe('ctindex sync: correlation across files and runs', () => {
  const ACCOUNT = '123456789012';
  const alice: Actor = { account: ACCOUNT, userName: 'alice', ip: '203.0.113.7' };
  // Four failed sign-ins of one user within 360 s (80803: frequency 4, timeframe 360), split over
  // two files. The second file is delivered 10 minutes after the first, but its events happened
  // within the burst: the correlation clock is eventTime, not delivery time. Inside the second
  // file the burst's last failure is listed first, so only evaluation in eventTime order tags it.
  const failures = [
    { time: '2026-10-05T10:01:10Z', id: '0f3a3c7e-1111-4a6b-9c1d-000000000001' },
    { time: '2026-10-05T10:02:20Z', id: '0f3a3c7e-2222-4a6b-9c1d-000000000002' },
    { time: '2026-10-05T10:04:00Z', id: '0f3a3c7e-3333-4a6b-9c1d-000000000003' },
    { time: '2026-10-05T10:05:30Z', id: '0f3a3c7e-4444-4a6b-9c1d-000000000004' },
  ] as const;
  const FOURTH = failures[3].id;

  function burstFiles(): { key: string; body: Buffer }[] {
    const first = [describeInstances(alice, '2026-10-05T10:00:40Z'), failedConsoleLogin(alice, failures[0].time, failures[0].id), failedConsoleLogin(alice, failures[1].time, failures[1].id)];
    const second = [failedConsoleLogin(alice, failures[3].time, failures[3].id), describeInstances(alice, '2026-10-05T10:04:30Z'), failedConsoleLogin(alice, failures[2].time, failures[2].id)];
    return [
      { key: trailKey(ACCOUNT, 'us-east-1', new Date('2026-10-05T10:05:00Z')), body: trailFile(first) },
      { key: trailKey(ACCOUNT, 'us-east-1', new Date('2026-10-05T10:15:00Z')), body: trailFile(second) },
    ];
  }

  async function expectOneBreakinAlert(namespace: string): Promise<void> {
    expect(await countDocs(es, namespace)).toBe(6);
    expect(await idsWithRule(es, namespace, '80803')).toEqual([FOURTH]);
    expect(await idsWithRule(es, namespace, '80802')).toEqual(failures.slice(0, 3).map((f) => f.id).sort());
  }

  it('raises one 80803 for a burst of failed console logins split across two runs', async () => {
    const { bucket, namespace } = fresh('burst');
    const [early, late] = burstFiles();
    await ensureBucket(s3, bucket);
    await putObject(s3, bucket, early!.key, early!.body);

    const run1 = await syncOk(bucket, namespace);
    expect(run1.records).toBe(3);
    expect(await idsWithRule(es, namespace, '80802')).toEqual([failures[0].id, failures[1].id]);
    expect(await idsWithRule(es, namespace, '80803')).toEqual([]);

    // The later file arrives after run 1; run 2 restores the correlation state run 1 committed.
    await putObject(s3, bucket, late!.key, late!.body);
    const run2 = await syncOk(bucket, namespace);
    expect(run2.records).toBe(3);
    expect(run2.objects.alreadyDone).toBe(1);
    expect(run2.topRules.find((r) => r.id === '80803')?.count).toBe(1);
    await expectOneBreakinAlert(namespace);
  });

  it('raises the burst\'s single 80803 when two shard pods sync at once (correlation lives with the partition)', async () => {
    const { bucket, namespace } = fresh('burstshard');
    await ensureBucket(s3, bucket);
    for (const f of burstFiles()) await putObject(s3, bucket, f.key, f.body);
    await setupOk(namespace);
    const runs = await Promise.all(['0/2', '1/2'].map((shard) => syncOk(bucket, namespace, ['--shard', shard])));
    expect(runs.map((r) => r.partitions.synced).sort()).toEqual([0, 1]);
    await expectOneBreakinAlert(namespace);
  });

  it('raises the same single 80803 on the same event when the whole burst is synced in one run', async () => {
    const { bucket, namespace } = fresh('burstone');
    await ensureBucket(s3, bucket);
    for (const f of burstFiles()) await putObject(s3, bucket, f.key, f.body);
    const run = await syncOk(bucket, namespace);
    expect(run.records).toBe(6);
    await expectOneBreakinAlert(namespace);
  });
});
