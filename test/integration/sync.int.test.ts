// `ctindex sync` end to end through the real CLI process, against the real S3 API server and the
// real Elasticsearch: exact document counts and field values, idempotent re-runs, windows,
// --delete, organization trails, bad objects among good ones, determinism across concurrency,
// dry runs, and the one-line errors operators see.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateTrail } from '../../src/demo-data/generate-trail.js';
import { keyTime } from '../../src/source/trail-keys.js';
import { runCli, summaryOf } from '../helpers/cli.js';
import { describeInstances, trailFile, trailKey } from '../helpers/cloudtrail-records.js';
import { listKeys, putObject, seedTrail, testS3Client, uniqueName } from '../helpers/trail-bucket.js';

const esUrl = inject('esUrl');
const s3Endpoint = inject('s3Endpoint');
const es = new Client({ node: esUrl });
const s3 = testS3Client(s3Endpoint);
const START = '2026-10-01T00:00:00Z';

function syncArgs(bucket: string, ns: string, ...extra: string[]): string[] {
  return ['sync', '--bucket', bucket, '--s3-endpoint', s3Endpoint, '--es-url', esUrl, '--namespace', ns, '--since', '2026-09-01', ...extra];
}

async function docs(ns: string): Promise<Map<string, Record<string, unknown>>> {
  await es.indices.refresh({ index: `ctindex-cloudtrail-${ns}` });
  const out = new Map<string, Record<string, unknown>>();
  let page = await es.search<Record<string, unknown>>({ index: `ctindex-cloudtrail-${ns}`, size: 5000, sort: ['_doc'], scroll: '1m' });
  while (page.hits.hits.length > 0) {
    for (const h of page.hits.hits) out.set(h._id!, h._source!);
    page = await es.scroll<Record<string, unknown>>({ scroll_id: page._scroll_id!, scroll: '1m' });
  }
  return out;
}

async function count(index: string, query?: Record<string, unknown>): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true });
  const exists = await es.indices.exists({ index });
  if (!exists) return 0;
  return (await es.count({ index, query })).count;
}

/** Documents minus the fields that record when a document was written rather than what it says. */
function stable(doc: Record<string, unknown>): unknown {
  const event = { ...(doc.event as Record<string, unknown>) };
  delete event.ingested;
  delete event.created;
  return { ...doc, event };
}

describe('ctindex sync', () => {
  const bucket = uniqueName('sync');
  const ns = uniqueName('sync');
  let events = 0;

  beforeAll(async () => {
    const seeded = await seedTrail(s3, bucket, { seed: 11, events: 4000, accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], start: new Date(START) });
    events = seeded.events;
  });

  it('indexes every record exactly once with ECS fields and rule tags, and the summary says so', async () => {
    const result = await runCli(syncArgs(bucket, ns));
    // No warning or error was logged (pino levels: 40 warn, 50 error).
    const levels = result.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { level: number }).level);
    expect(levels.filter((l) => l >= 40)).toEqual([]);
    const summary = summaryOf(result);
    expect(result.code).toBe(0);
    expect(summary.records).toBe(events);
    expect(summary.documents).toEqual({ indexed: events, duplicates: 0, deadLettered: 0 });
    expect(summary.partitions).toEqual({ listed: 4, synced: 4, busy: 0 });
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(events);

    // A failed console login: ECS fields, the original CloudTrail fields and the rule tags.
    const failed = await es.search<Record<string, any>>({ index: `ctindex-cloudtrail-${ns}`, size: 1, query: { term: { 'rule.id': '80802' } } });
    const doc = failed.hits.hits[0]!._source!;
    expect(failed.hits.hits[0]!._id).toBe(doc.event.id);
    expect(doc.event).toMatchObject({ action: 'ConsoleLogin', provider: 'signin.amazonaws.com', outcome: 'failure', kind: 'alert' });
    expect(doc.rule).toMatchObject({ id: '80802', level: 5, description: 'Amazon-signin: User Login failed', pci_dss: ['10.2.4', '10.2.5'] });
    expect(doc.rule.groups).toEqual(expect.arrayContaining(['amazon', 'authentication_failed']));
    expect(doc.cloud).toMatchObject({ provider: 'aws' });
    expect(['111122223333', '444455556666']).toContain(doc.cloud.account.id);
    expect(doc['@timestamp']).toMatch(/^2026-10-0/);
    expect(doc.log.file.path).toMatch(new RegExp(`^s3://${bucket}/AWSLogs/`));

    // Records that match no rule are indexed too, without `rule`.
    expect(await count(`ctindex-cloudtrail-${ns}`, { bool: { must_not: { exists: { field: 'rule.id' } } } })).toBeGreaterThan(0);
    // The break-in correlation rule fired on the generated bursts.
    expect(await count(`ctindex-cloudtrail-${ns}`, { term: { 'rule.id': '80803' } })).toBeGreaterThan(0);
    // The run is recorded in the runs index.
    const run = await es.get<Record<string, any>>({ index: `ctindex-runs-${ns}`, id: summary.runId });
    expect(run._source).toMatchObject({ records: events, exitCode: 0 });
  });

  it('adds nothing when run again over the same files', async () => {
    const result = await runCli(syncArgs(bucket, ns));
    const summary = summaryOf(result);
    expect(result.code).toBe(0);
    expect(summary.records).toBe(0);
    expect(summary.objects.read).toBe(0);
    expect(summary.objects.alreadyDone).toBe(summary.objects.listed);
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(events);
  });

  it('gives identical documents, correlation alerts included, with --concurrency 1 and 16', async () => {
    const [ns1, ns16] = [uniqueName('c1'), uniqueName('c16')];
    const [r1, r16] = [await runCli(syncArgs(bucket, ns1, '--concurrency', '1')), await runCli(syncArgs(bucket, ns16, '--concurrency', '16'))];
    expect([r1.code, r16.code]).toEqual([0, 0]);
    const [d1, d16] = [await docs(ns1), await docs(ns16)];
    expect(d1.size).toBe(events);
    expect(d16.size).toBe(events);
    for (const [id, doc] of d1) expect(stable(d16.get(id)!), id).toEqual(stable(doc));
  });

  it('dry run reads and tags everything but writes nothing; --output-file gets one line per event', async () => {
    const dryNs = uniqueName('dry');
    const out = join(mkdtempSync(join(tmpdir(), 'ctindex-')), 'events.ndjson');
    const result = await runCli(['sync', '--bucket', bucket, '--s3-endpoint', s3Endpoint, '--since', '2026-09-01', '--namespace', dryNs, '--dry-run', '--output-file', out, '--es-url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toMatchObject({ records: events, documents: { indexed: events } });
    expect(await count(`ctindex-cloudtrail-${dryNs}`)).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines).toHaveLength(events);
    expect(lines.filter((l) => l.rule?.id === '80802').length).toBeGreaterThan(0);
  });
});

describe('ctindex sync windows, deletion and layouts', () => {
  it('--since/--until list and index only the files delivered inside the window', async () => {
    const bucket = uniqueName('win');
    const ns = uniqueName('win');
    const options = { seed: 5, events: 3000, accounts: ['111122223333'], regions: ['us-east-1'], start: new Date(START) };
    await seedTrail(s3, bucket, options);
    const files = [...generateTrail({ ...options, bucket })].filter((f) => f.kind === 'log');
    const times = files.map((f) => keyTime(f.key)!.getTime());
    const since = new Date(times[Math.floor(times.length / 3)]!);
    const until = new Date(times[Math.floor((2 * times.length) / 3)]!);
    const expected = files.filter((f, i) => times[i]! >= since.getTime() && times[i]! < until.getTime()).reduce((n, f) => n + f.events, 0);
    expect(expected).toBeGreaterThan(0);
    const result = await runCli(['sync', '--bucket', bucket, '--s3-endpoint', s3Endpoint, '--es-url', esUrl, '--namespace', ns, '--since', since.toISOString(), '--until', until.toISOString()]);
    expect(result.code).toBe(0);
    expect(summaryOf(result).records).toBe(expected);
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(expected);
  });

  it('indexes a file delivered late, with a key older than keys already synced, exactly once', async () => {
    const bucket = uniqueName('late');
    const ns = uniqueName('late');
    const options = { seed: 12, events: 1500, accounts: ['111122223333'], regions: ['us-east-1'], start: new Date(START) };
    const seeded = await seedTrail(s3, bucket, options);
    expect(summaryOf(await runCli(syncArgs(bucket, ns))).records).toBe(seeded.events);
    // CloudTrail names the file by delivery time but it shows up after later files were synced:
    // 30 minutes before the last synced key, inside the default 120-minute lookback.
    const last = [...generateTrail({ ...options, bucket })].filter((f) => f.kind === 'log').at(-1)!;
    const lateKey = trailKey('111122223333', 'us-east-1', new Date(keyTime(last.key)!.getTime() - 30 * 60_000));
    const actor = { account: '111122223333', userName: 'late-alice', ip: '198.51.100.30' };
    await putObject(s3, bucket, lateKey, trailFile([describeInstances(actor, '2026-10-01T00:00:01Z'), describeInstances(actor, '2026-10-01T00:00:02Z')]));
    const second = summaryOf(await runCli(syncArgs(bucket, ns)));
    expect(second).toMatchObject({ records: 2, objects: { read: 1 } });
    const third = summaryOf(await runCli(syncArgs(bucket, ns)));
    expect(third).toMatchObject({ records: 0, objects: { read: 0 } });
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(seeded.events + 2);
  });

  it('--delete removes each object once its documents are indexed, and nothing else', async () => {
    const bucket = uniqueName('del');
    const ns = uniqueName('del');
    const seeded = await seedTrail(s3, bucket, { seed: 6, events: 1500, accounts: ['111122223333'], regions: ['us-east-1'], start: new Date(START) });
    const before = await listKeys(s3, bucket);
    const result = await runCli(syncArgs(bucket, ns, '--delete'));
    expect(result.code).toBe(0);
    expect(summaryOf(result).objects.deleted).toBe(seeded.logFiles);
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(seeded.events);
    const after = await listKeys(s3, bucket);
    // Digests and anything that is not a log file stay.
    expect(after).toEqual(before.filter((k) => !k.includes('/CloudTrail/')));
    expect(after.length).toBe(seeded.digestFiles);
  });

  it('syncs an organization trail (AWSLogs/<o-id>/<account>/…) and a custom prefix', async () => {
    const bucket = uniqueName('org');
    const ns = uniqueName('org');
    const seeded = await seedTrail(s3, bucket, { seed: 8, events: 1200, accounts: ['111122223333', '444455556666'], regions: ['us-east-1'], start: new Date(START), orgId: 'o-abcdef1234', prefix: 'trails/main/' });
    const result = await runCli(syncArgs(bucket, ns, '--prefix', 'trails/main'));
    expect(result.code).toBe(0);
    const summary = summaryOf(result);
    expect(summary.partitions.synced).toBe(2);
    expect(summary.records).toBe(seeded.events);
    await es.indices.refresh({ index: `ctindex-cloudtrail-${ns}` });
    const accounts = await es.search({ index: `ctindex-cloudtrail-${ns}`, size: 0, aggs: { a: { terms: { field: 'cloud.account.id' } } } });
    const buckets = (accounts.aggregations!.a as { buckets: { key: string }[] }).buckets.map((b) => b.key).sort();
    expect(buckets).toEqual(['111122223333', '444455556666']);
  });
});

describe('ctindex sync with bad objects among good ones', () => {
  const bucket = uniqueName('bad');
  const ns = uniqueName('bad');
  const dir = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/';
  const name = (hhmm: string, tag: string) => `${dir}111122223333_CloudTrail_us-east-1_20261001T${hhmm}Z_${tag.padEnd(16, 'x')}.json.gz`;
  const goodRecord = (i: number) => ({
    eventVersion: '1.08', eventTime: `2026-10-01T00:0${i}:00Z`, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
    awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2', eventID: `00000000-0000-4000-8000-00000000000${i}`,
    eventType: 'AwsApiCall', recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', userName: 'alice', accountId: '111122223333' },
  });
  // Elasticsearch rejects it (a data stream needs a valid @timestamp): dead-lettered with its text.
  const REJECTED = JSON.stringify({ ...goodRecord(7), eventTime: 'yesterday at noon' });
  const bad: Record<string, Buffer> = {
    [name('0105', 'truncated')]: gzipSync(JSON.stringify({ Records: [goodRecord(1), goodRecord(2)] })).subarray(0, 60),
    [name('0110', 'notgzip')]: Buffer.from([0x1f, 0x8b, 0x08, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]),
    [name('0115', 'notjson')]: gzipSync('this is not json'),
    [name('0120', 'norecords')]: gzipSync(JSON.stringify({ foo: 1 })),
    [name('0125', 'empty')]: Buffer.alloc(0),
    [name('0130', 'mixed')]: gzipSync(`{"Records":[${JSON.stringify(goodRecord(3))},"a string",${JSON.stringify({ ...goodRecord(4), someFieldAwsAddsLater: { x: 1 } })},${REJECTED}]}`),
    [name('0135', 'oddbytes')]: gzipSync(Buffer.concat([
      Buffer.from(`{"Records":[${JSON.stringify(goodRecord(5))},{"eventVersion":"1.08","eventName":"A`),
      Buffer.from([0x00]),
      Buffer.from('B"},{"eventVersion":"1.08","eventName":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"},{"eventVersion":"1.08","requestParameters":{"policy":"${'x'.repeat(300_000)}"}},${JSON.stringify(goodRecord(6))}]}`),
    ])),
  };
  let goodEvents = 0;

  beforeAll(async () => {
    goodEvents = (await seedTrail(s3, bucket, { seed: 9, events: 800, accounts: ['111122223333'], regions: ['us-east-1'], start: new Date(START) })).events;
    for (const [key, body] of Object.entries(bad)) await putObject(s3, bucket, key, body);
  });

  it('dead-letters each bad object or record with its key and reason, indexes the rest, and exits 1', async () => {
    const result = await runCli(syncArgs(bucket, ns, '--log-format', 'json', '--max-record-bytes', '200000'));
    expect(result.code).toBe(1);
    const summary = summaryOf(result);
    // The good trail plus the good records of the mixed and odd-bytes files; a record with an
    // unknown field is a good record.
    expect(await count(`ctindex-cloudtrail-${ns}`)).toBe(goodEvents + 4);
    expect(await count(`ctindex-cloudtrail-${ns}`, { term: { 'event.id': goodRecord(4).eventID } })).toBe(1);
    expect(summary.problems).toEqual({ truncated: 2, not_json: 1, no_records: 1, empty_object: 1, record_not_object: 1, nul_byte: 1, invalid_utf8: 1, record_too_large: 1 });
    await es.indices.refresh({ index: `ctindex-deadletter-${ns}` });
    const letters = await es.search<Record<string, any>>({ index: `ctindex-deadletter-${ns}`, size: 50 });
    const byKey = new Map(letters.hits.hits.map((h) => [h._source!.ctindex.origin.key as string, h._source!]));
    expect([...byKey.keys()].sort()).toEqual(Object.keys(bad).sort());
    const mixed = letters.hits.hits.map((h) => h._source!).filter((d) => d.ctindex.origin.key === name('0130', 'mixed'));
    expect(mixed.map((d) => [d.ctindex.origin.record_index, d.error.code]).sort()).toEqual([[1, 'record_not_object'], [3, 'es_rejected']]);
    const rejected = letters.hits.hits.map((h) => h._source!).find((d) => d.error.code === 'es_rejected');
    expect(rejected).toMatchObject({ ctindex: { origin: { key: name('0130', 'mixed'), record_index: 3 } }, event: { original: REJECTED } });
    const odd = letters.hits.hits.map((h) => h._source!).filter((d) => d.ctindex.origin.key === name('0135', 'oddbytes'));
    expect(odd.map((d) => [d.ctindex.origin.record_index, d.error.code]).sort()).toEqual([[1, 'nul_byte'], [2, 'invalid_utf8'], [3, 'record_too_large']]);
    // Every problem is logged naming the key.
    for (const key of Object.keys(bad)) expect(result.stderr).toContain(key);
  });

  it('does not read dead-lettered objects again on the next run', async () => {
    const result = await runCli(syncArgs(bucket, ns));
    expect(result.code).toBe(0);
    expect(summaryOf(result).records).toBe(0);
  });
});

describe('ctindex sync configuration sources', () => {
  it('reads a local --dir trail, options from a --config file and CTINDEX_* variables, flags winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctindex-trail-'));
    const gen = await runCli(['demo-data', '--out', dir, '--events', '500', '--accounts', '111122223333', '--regions', 'us-east-1,eu-west-1', '--start', START]);
    expect(gen.code).toBe(0);
    const config = join(dir, 'ctindex.json');
    const out = join(dir, 'events.ndjson');
    writeFileSync(config, JSON.stringify({ dir, since: '2026-09-01', regions: ['eu-west-1', 'us-east-1'], dryRun: true, outputFile: out }));
    // The file asks for both regions, the environment narrows to one, and a flag overrides the environment.
    const result = await runCli(['sync', '--config', config, '--regions', 'eu-west-1'], { CTINDEX_REGIONS: 'us-east-1', CTINDEX_ES_URL: 'http://127.0.0.1:1' });
    expect(result.code).toBe(0);
    const summary = summaryOf(result);
    expect(summary.partitions).toEqual({ listed: 1, synced: 1, busy: 0 });
    expect(summary.records).toBeGreaterThan(0);
    expect(summary.records).toBeLessThan(500);
    const regions = new Set(readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { cloud: { region: string } }).cloud.region));
    expect([...regions]).toEqual(['eu-west-1']);
  });
});

describe('ctindex sync failures that stop the run', () => {
  it.each([
    ['unreachable Elasticsearch', ['--bucket', 'whatever', '--s3-endpoint', s3Endpoint, '--es-url', 'http://127.0.0.1:1'], 4, /127\.0\.0\.1:1/],
    ['a missing bucket', ['--bucket', 'no-such-bucket-ctindex', '--s3-endpoint', s3Endpoint, '--es-url', esUrl], 3, /no-such-bucket-ctindex/],
    ['unreachable S3', ['--bucket', 'b', '--s3-endpoint', 'http://127.0.0.1:2', '--es-url', esUrl], 3, /127\.0\.0\.1:2/],
    ['an invalid option', ['--bucket', 'b', '--s3-endpoint', s3Endpoint, '--es-url', esUrl, '--concurrency', '0'], 2, /--concurrency/],
  ])('reports %s in one line with no stack trace and a documented exit code', async (_label, args, code, pattern) => {
    const result = await runCli(['sync', '--namespace', 'errors', '--since', '2026-09-01', ...args]);
    expect(result.code).toBe(code);
    const lines = result.stderr.trim().split('\n').filter((l) => l.startsWith('ctindex:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints the Elasticsearch password', async () => {
    const result = await runCli(['sync', '--bucket', 'b', '--s3-endpoint', s3Endpoint, '--es-url', 'http://elastic:S3cr3tPa55@127.0.0.1:1', '--namespace', 'errors']);
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).not.toContain('S3cr3tPa55');
  });
});

afterAll(async () => {
  await es.close();
  s3.destroy();
});
