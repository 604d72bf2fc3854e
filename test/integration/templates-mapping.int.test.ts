// The shipped index templates on a real Elasticsearch, fed by the real mapper: open-ended
// CloudTrail objects never grow or break the mapping, oversized values never reject a document,
// hostnames never reach an `ip` field, and every field the mapper writes is mapped as intended.
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FLATTENED_DEPTH_LIMIT, toEcsDocument } from '../../src/mapper/ecs-mapper.js';
import type { RuleMatch } from '../../src/rules/types.js';
import { ensureSetup } from '../../src/setup/setup.js';
import { namespaceTargets } from '../../src/setup/names.js';
import { removeNamespace } from '../../src/setup/remove-namespace.js';

type Json = Record<string, unknown>;

const es = new Client({ node: inject('esUrl') });
const namespace = `tpl_${Date.now().toString(36)}`;
const { events } = namespaceTargets(namespace);
const origin = { bucket: 'trail-bucket', key: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/14/f.json.gz', recordIndex: 0 };

function baseRecord(eventID: string): Json {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' },
    eventTime: '2024-05-14T09:30:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'PutUserPolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.24',
    userAgent: 'aws-cli/2.15.0',
    requestID: `req-${eventID}`,
    eventID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  };
}

/** Indexes records through the mapper as the sink does (create, `_id` from the mapper); returns the bulk answer. */
async function index(records: readonly Json[], match: RuleMatch | null = null) {
  const operations = records.flatMap((r, i) => {
    const { id, doc } = toEcsDocument(r, match, { ...origin, recordIndex: i });
    return [{ create: { _index: events, _id: id } }, doc];
  });
  return es.bulk({ operations, refresh: true });
}

async function writeIndexMapping(): Promise<Json> {
  const res = await es.indices.getMapping({ index: events });
  const backing = Object.keys(res).sort();
  return (res[backing.at(-1)!]!.mappings.properties ?? {}) as Json;
}

/** Every mapped field (multi-fields included), as Elasticsearch counts them for total_fields.limit. */
function countFields(properties: Json): number {
  let n = 0;
  for (const field of Object.values(properties) as Json[]) {
    n += 1;
    if (field.properties) n += countFields(field.properties as Json);
    if (field.fields) n += Object.keys(field.fields as Json).length;
  }
  return n;
}

async function count(query: Json): Promise<number> {
  const res = await es.count({ index: events, query });
  return res.count;
}

beforeAll(async () => {
  await ensureSetup(es, { namespace });
  // The data stream is created from the template by the first write.
  const first = await index([baseRecord('first')]);
  expect(first.errors).toBe(false);
});

afterAll(async () => {
  await removeNamespace(es, namespace);
  await es.close();
});

describe('shipped templates with mapper output', () => {
  it('absorbs requestParameters with over 5,000 distinct keys and deep nesting without growing the mapping', async () => {
    const before = countFields(await writeIndexMapping());
    let deep: unknown = { needle: 'found-me-deep' };
    for (let i = 0; i < 40; i++) deep = { [`level${i}`]: deep };
    let tooDeep: unknown = 'beyond-the-limit';
    for (let i = 0; i < FLATTENED_DEPTH_LIMIT + 30; i++) tooDeep = { d: tooDeep };
    const records = [0, 1, 2].map((r) => {
      const params: Json = { deep, tooDeep };
      for (let k = 0; k < 1800; k++) params[`key_${r}_${k}`] = { value: `v${r}-${k}`, tags: [k, `t${k}`] };
      return { ...baseRecord(`many-keys-${r}`), requestParameters: params, responseElements: { echoed: params } };
    });
    const res = await index(records);
    expect(res.errors).toBe(false);
    expect(res.items.map((i) => i.create?.status)).toEqual([201, 201, 201]);

    const after = countFields(await writeIndexMapping());
    expect(after).toBe(before);
    expect(after).toBeLessThan(400);

    const deepPath = Array.from({ length: 40 }, (_, i) => `level${39 - i}`).join('.');
    expect(await count({ term: { [`aws.cloudtrail.flattened.request_parameters.deep.${deepPath}.needle`]: 'found-me-deep' } })).toBe(3);
    expect(await count({ term: { 'aws.cloudtrail.flattened.request_parameters.key_2_1799.value': 'v2-1799' } })).toBe(1);
    expect(await count({ term: { 'aws.cloudtrail.flattened.response_elements': 'v1-17' } })).toBe(1);
  });

  it('indexes a 200 KB policy document and a string over Lucene\'s 32 KB term limit, keeps them in _source, and the rest stays searchable', async () => {
    const statement = Array.from({ length: 2200 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${i}/*` }));
    const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: statement });
    expect(policyDocument.length).toBeGreaterThan(200 * 1024);
    const huge = `x${'y'.repeat(40 * 1024)}`;
    const record = {
      ...baseRecord('huge-values'),
      userAgent: huge,
      errorCode: 'MalformedPolicyDocument',
      errorMessage: `The policy is invalid near ${huge}`,
      requestParameters: { userName: 'bob', policyName: 'everything', policyDocument },
    };
    const res = await index([record]);
    expect(res.errors).toBe(false);

    const stored = await es.get<Json>({ index: res.items[0]!.create!._index, id: 'huge-values' });
    const source = stored._source as { aws: { cloudtrail: { flattened: { request_parameters: Json }; request_parameters: string } }; user_agent: { original: string } };
    expect(source.aws.cloudtrail.flattened.request_parameters.policyDocument).toBe(policyDocument);
    expect(JSON.parse(source.aws.cloudtrail.request_parameters)).toEqual(record.requestParameters);
    expect(source.user_agent.original).toBe(huge);

    const byRest = { bool: { filter: [{ term: { 'event.id': 'huge-values' } }, { term: { 'user.target.name': 'bob' } }, { term: { 'aws.cloudtrail.error_code': 'MalformedPolicyDocument' } }, { term: { 'aws.cloudtrail.flattened.request_parameters.policyName': 'everything' } }] } };
    expect(await count(byRest)).toBe(1);
    // Too long for a keyword term, still found as text.
    expect(await count({ match: { 'aws.cloudtrail.error_message.text': 'policy invalid' } })).toBe(1);
  });

  it('never sends a hostname sourceIPAddress to an ip field', async () => {
    const record = { ...baseRecord('from-a-service'), userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com' };
    const res = await index([record]);
    expect(res.errors).toBe(false);
    const hit = await es.search({ index: events, query: { term: { 'event.id': 'from-a-service' } } });
    expect(hit.hits.hits[0]?._ignored).toBeUndefined();
    expect(await count({ bool: { filter: [{ term: { 'event.id': 'from-a-service' } }, { exists: { field: 'source.ip' } }] } })).toBe(0);
    expect(await count({ bool: { filter: [{ term: { 'source.domain': 'ec2.amazonaws.com' } }, { term: { 'related.hosts': 'ec2.amazonaws.com' } }] } })).toBe(1);
    expect(await count({ term: { 'source.ip': '203.0.113.0/24' } })).toBeGreaterThan(0);
  });

  it('rejects a record without a usable eventTime (so the sink dead-letters it) rather than indexing it at a wrong time', async () => {
    const res = await index([{ ...baseRecord('no-time'), eventTime: 'not a time' }]);
    expect(res.items[0]?.create?.status).toBe(400);
    expect(res.items[0]?.create?.error?.reason).toMatch(/@timestamp/);
  });
});

/** The fixture events (test/fixtures/rule-events) and their expected rules, plus the shapes they lack. */
function richSamples(): { record: Json; match: RuleMatch | null }[] {
  const dir = new URL('../fixtures/rule-events/', import.meta.url);
  const samples: { record: Json; match: RuleMatch | null }[] = [];
  for (const file of readdirSync(dir)) {
    const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { events: Json[]; expect?: Omit<RuleMatch, 'mail'> | null }[];
    for (const c of cases) for (const record of c.events) samples.push({ record, match: c.expect ? { ...c.expect, mail: false } : null });
  }
  const everyRuleField: RuleMatch = {
    id: '100200', level: 12, description: 'Everything', groups: ['aws'], pci_dss: ['10.2'], gdpr: ['IV_35.7.d'], hipaa: ['164.312.b'],
    nist_800_53: ['AU.6'], tsc: ['CC7.2'], cis: ['1.1'], gpg13: ['7.1'], mitre: { id: ['T1078'], tactic: ['Initial Access'], technique: ['Valid Accounts'] },
    firedtimes: 3, mail: true, frequency: 5, info: 'https://example.com/rule', cve: 'CVE-2024-0001',
  };
  samples.push({
    match: everyRuleField,
    record: {
      ...baseRecord('rich-1'),
      userIdentity: {
        type: 'AssumedRole', principalId: 'AROAX:alice', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice', accountId: '123456789012', accessKeyId: 'ASIAX',
        sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAX', arn: 'arn:aws:iam::123456789012:role/Admin', accountId: '123456789012', userName: 'Admin' }, attributes: { creationDate: '2024-05-14T09:00:00Z', mfaAuthenticated: 'false' } },
        invokedBy: 'cloudformation.amazonaws.com',
      },
      sourceIPAddress: '2001:db8::7',
      apiVersion: '2012-10-17',
      sharedEventID: 'shared-1',
      vpcEndpointId: 'vpce-0abc',
      serviceEventDetails: { snapshotId: 'snap-1', nested: { list: [1, 2] } },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com', MobileVersion: 'No', MFAUsed: 'Yes' },
      resources: [{ ARN: 'arn:aws:iam::123456789012:user/bob', accountId: '123456789012', type: 'AWS::IAM::User' }],
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.amazonaws.com' },
      requestParameters: { userName: 'bob' },
      responseElements: { ok: true },
      errorCode: 'AccessDenied',
      errorMessage: 'denied',
      addendum: { reason: 'DELIVERY_DELAY', updatedFields: 'tlsDetails' },
    },
  });
  samples.push({ match: null, record: { ...baseRecord('rich-2'), userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com' } });
  return samples;
}

/** Leaf paths and values of a document; arrays contribute their elements. Flattened subtrees are one leaf. */
function leaves(value: unknown, path: string, flattenedPaths: ReadonlySet<string>, out: [string, unknown][]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) leaves(v, path, flattenedPaths, out);
  } else if (typeof value === 'object' && !flattenedPaths.has(path)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path === '' ? k : `${path}.${k}`, flattenedPaths, out);
  } else {
    out.push([path, value]);
  }
}

function mappedField(properties: Json, path: string): Json | undefined {
  let node: Json | undefined = { properties };
  for (const part of path.split('.')) node = (node?.properties as Json | undefined)?.[part] as Json | undefined;
  return node;
}

const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float']);
/** Types a value of each JSON kind may go to, and the fields whose exact type matters. */
const COMPATIBLE: Record<string, ReadonlySet<string>> = {
  string: new Set(['keyword', 'ip', 'date', 'text']),
  number: NUMERIC,
  boolean: new Set(['boolean']),
  object: new Set(['flattened']),
};
const INTENDED: Record<string, string> = {
  '@timestamp': 'date', 'event.created': 'date', 'event.ingested': 'date', 'source.ip': 'ip', 'related.ip': 'ip',
  'aws.cloudtrail.user_identity.session_context.creation_date': 'date', 'aws.cloudtrail.user_identity.session_context.mfa_authenticated': 'boolean',
  'aws.cloudtrail.read_only': 'boolean', 'aws.cloudtrail.management_event': 'boolean', 'aws.cloudtrail.console_login.additional_eventdata.mfa_used': 'boolean',
  'aws.cloudtrail.flattened.request_parameters': 'flattened', 'aws.cloudtrail.flattened.response_elements': 'flattened',
  'aws.cloudtrail.flattened.additional_eventdata': 'flattened', 'aws.cloudtrail.flattened.service_event_details': 'flattened', 'ctindex.unmapped': 'flattened',
  'rule.level': 'short', 'rule.firedtimes': 'long', 'ctindex.origin.record_index': 'long', 'user_agent.original': 'keyword', 'aws.cloudtrail.error_message': 'keyword',
};

describe('mapping coverage', () => {
  it('maps every field the mapper emits for a rich sample set, with the intended type', async () => {
    const samples = richSamples();
    const coverageOrigin = { ...origin, key: 'coverage.json.gz' };
    expect(samples.length).toBeGreaterThan(100);
    const flattenedPaths = new Set(Object.entries(INTENDED).filter(([, t]) => t === 'flattened').map(([p]) => p));
    const emitted = new Map<string, unknown>();
    for (const { record, match } of samples) {
      const found: [string, unknown][] = [];
      leaves(toEcsDocument(record, match, origin).doc, '', flattenedPaths, found);
      for (const [path, value] of found) if (!emitted.has(path)) emitted.set(path, value);
    }
    const res = await es.bulk({
      refresh: true,
      operations: samples.flatMap(({ record, match }) => {
        const { id, doc } = toEcsDocument(record, match, coverageOrigin);
        return [{ create: { _index: events, _id: `cov-${id}` } }, doc];
      }),
    });
    expect(res.items.filter((i) => i.create?.error).map((i) => i.create?.error)).toEqual([]);

    const mapping = await writeIndexMapping();
    const problems: string[] = [];
    for (const [path, value] of emitted) {
      const field = mappedField(mapping, path);
      const type = field?.type as string | undefined;
      const kind = typeof value;
      if (type === undefined) problems.push(`${path}: not mapped`);
      else if (!COMPATIBLE[kind]?.has(type)) problems.push(`${path}: ${kind} value in a ${type} field`);
      else if (INTENDED[path] !== undefined && INTENDED[path] !== type) problems.push(`${path}: ${type}, intended ${INTENDED[path]}`);
    }
    expect(problems).toEqual([]);
    // The free-text companions exist where people search words.
    for (const path of ['user_agent.original', 'aws.cloudtrail.error_message', 'rule.description']) {
      expect(mappedField(mapping, path)?.fields).toMatchObject({ text: { type: 'text' } });
    }
    // Every sample is findable by its ECS action and provider, as Elastic's prebuilt rules query them.
    expect(await count({ bool: { filter: [{ term: { 'event.dataset': 'aws.cloudtrail' } }, { term: { 'event.provider': 'iam.amazonaws.com' } }, { term: { 'ctindex.origin.key': coverageOrigin.key } }] } })).toBeGreaterThan(10);
    expect(emitted.size).toBeGreaterThan(80);
  });
});
