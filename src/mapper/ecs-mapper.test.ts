// Unit tests of the CloudTrail → ECS mapping on realistic records (shapes from AWS's CloudTrail
// record-contents reference), one per kind of caller and the awkward cases.
import { describe, expect, it } from 'vitest';
import type { RuleMatch } from '../rules/types.js';
import type { RecordOrigin } from '../source/types.js';
import { FLATTENED_DEPTH_LIMIT, recordId, toEcsDocument } from './ecs-mapper.js';

const origin: RecordOrigin = { bucket: 'trail-bucket', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/f.json.gz', recordIndex: 7 };
const at = '2024-05-01T12:00:00.000Z';

const iamUserCreateAccessKey = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser', principalId: 'AIDAEXAMPLEPRINCIPAL', arn: 'arn:aws:iam::111122223333:user/alice',
    accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEKEY', userName: 'alice',
  },
  eventTime: '2024-05-01T10:15:30Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.10',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
  requestParameters: { userName: 'bob' },
  responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY', status: 'Active', userName: 'bob', createDate: 'May 1, 2024 10:15:30 AM' } },
  requestID: 'b7b1c6e0-0000-4000-8000-000000000001',
  eventID: '2f0c1b9e-0000-4000-8000-000000000001',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
  tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'iam.amazonaws.com' },
};

const assumedRoleRunInstances = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole', principalId: 'AROAEXAMPLEROLE:alice@example.com',
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com', accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
      webIdFederationData: {},
      attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'true' },
    },
  },
  eventTime: '2024-05-01T10:20:00Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'RunInstances',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '2001:db8::1',
  userAgent: 'console.ec2.amazonaws.com',
  requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abc', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro' },
  responseElements: null,
  requestID: 'r-2', eventID: 'e-2', readOnly: false,
  resources: [{ accountId: '111122223333', type: 'AWS::EC2::Instance', ARN: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc' }],
  eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111122223333', eventCategory: 'Management',
  sessionCredentialFromConsole: 'true',
};

const rootConsoleLoginFailure = {
  eventVersion: '1.08',
  userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' },
  eventTime: '2024-05-01T11:00:00Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/125.0',
  errorMessage: 'Failed authentication',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Failure' },
  additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
  eventID: 'e-3', readOnly: false, eventType: 'AwsConsoleSignIn', managementEvent: true,
  recipientAccountId: '111122223333', eventCategory: 'Management',
};

const serviceCall = {
  eventVersion: '1.08',
  userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  eventTime: '2024-05-01T11:30:00Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'ec2.amazonaws.com',
  userAgent: 'ec2.amazonaws.com',
  requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/InstanceRole', roleSessionName: 'i-0abc' },
  responseElements: { credentials: { accessKeyId: 'ASIAX', expiration: 'May 1, 2024 5:30:00 PM' } },
  requestID: 'r-4', eventID: 'e-4', readOnly: true, eventType: 'AwsApiCall', managementEvent: true,
  recipientAccountId: '111122223333', sharedEventID: 'shared-4', eventCategory: 'Management',
};

const match: RuleMatch = {
  id: '80202', level: 8, description: 'AWS IAM: access key created for another user',
  groups: ['amazon', 'aws_iam'], pci_dss: ['8.1.2'], gdpr: ['IV_32.2'], nist_800_53: ['AC.2'], tsc: ['CC6.1'],
  mitre: { id: ['T1098'], tactic: ['Persistence'], technique: ['Account Manipulation'] }, firedtimes: 1, mail: false,
};

function map(record: Record<string, unknown>, m: RuleMatch | null = null) {
  return toEcsDocument(record, m, origin, { ingestedAt: at });
}

/** Reads a dotted path out of a nested document. */
function valueAt(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
}

describe('toEcsDocument', () => {
  it('maps an IAM user call with ECS and aws.cloudtrail fields', () => {
    const { id, doc } = map(iamUserCreateAccessKey, match);
    expect(id).toBe('2f0c1b9e-0000-4000-8000-000000000001');
    expect(doc).toMatchObject({
      '@timestamp': '2024-05-01T10:15:30Z',
      event: {
        id, action: 'CreateAccessKey', provider: 'iam.amazonaws.com', outcome: 'success', kind: 'alert',
        category: ['iam'], type: ['creation'], module: 'aws', dataset: 'aws.cloudtrail', created: at, ingested: at,
      },
      cloud: { provider: 'aws', region: 'us-east-1', account: { id: '111122223333' } },
      source: { address: '203.0.113.10', ip: '203.0.113.10' },
      user: { name: 'alice', id: 'AIDAEXAMPLEPRINCIPAL', target: { name: 'bob' } },
      user_agent: { original: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64' },
      related: { user: ['alice', 'bob'], ip: ['203.0.113.10'] },
      log: { file: { path: `s3://trail-bucket/${origin.key}` } },
      aws: {
        cloudtrail: {
          event_version: '1.09', event_type: 'AwsApiCall', event_category: 'Management',
          user_identity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', principal_id: 'AIDAEXAMPLEPRINCIPAL', access_key_id: 'AKIAEXAMPLEKEY' },
          request_id: 'b7b1c6e0-0000-4000-8000-000000000001', recipient_account_id: '111122223333',
          management_event: true, read_only: false,
          tls_details: { tls_version: 'TLSv1.3', cipher_suite: 'TLS_AES_128_GCM_SHA256', client_provided_host_header: 'iam.amazonaws.com' },
          request_parameters: '{"userName":"bob"}',
          flattened: { request_parameters: { userName: 'bob' }, response_elements: iamUserCreateAccessKey.responseElements },
        },
      },
      rule: {
        id: '80202', level: 8, description: match.description, groups: ['amazon', 'aws_iam'], pci_dss: ['8.1.2'], gdpr: ['IV_32.2'],
        nist_800_53: ['AC.2'], tsc: ['CC6.1'], mitre: { id: ['T1098'], tactic: ['Persistence'], technique: ['Account Manipulation'] },
        firedtimes: 1, mail: false,
      },
      ctindex: { origin: { bucket: 'trail-bucket', key: origin.key, record_index: 7 } },
    });
    expect(JSON.parse(String(valueAt(doc, 'aws.cloudtrail.response_elements')))).toEqual(iamUserCreateAccessKey.responseElements);
    expect(doc.source).not.toHaveProperty('domain', expect.anything());
    expect(valueAt(doc, 'ctindex.unmapped')).toBeUndefined();
  });

  it('names an assumed role by its session issuer and keeps the session name as a related user', () => {
    const { doc } = map(assumedRoleRunInstances);
    expect(doc).toMatchObject({
      event: { action: 'RunInstances', provider: 'ec2.amazonaws.com', outcome: 'success', kind: 'event' },
      cloud: { region: 'eu-west-1', account: { id: '111122223333' } },
      source: { address: '2001:db8::1', ip: '2001:db8::1' },
      user: { name: 'Admin', id: 'AROAEXAMPLEROLE:alice@example.com' },
      related: { user: ['Admin', 'alice@example.com'], ip: ['2001:db8::1'] },
      aws: {
        cloudtrail: {
          user_identity: {
            type: 'AssumedRole',
            session_context: {
              mfa_authenticated: true, creation_date: '2024-05-01T09:00:00Z',
              session_issuer: { type: 'Role', principal_id: 'AROAEXAMPLEROLE', arn: 'arn:aws:iam::111122223333:role/Admin', account_id: '111122223333' },
            },
          },
          resources: [{ arn: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc', type: 'AWS::EC2::Instance', account_id: '111122223333' }],
        },
      },
      // A field the mapper does not place is kept, not lost.
      ctindex: { unmapped: { sessionCredentialFromConsole: 'true' } },
    });
    expect(doc.event).toMatchObject({ category: undefined, type: undefined });
    expect(doc.rule).toBeUndefined();
    expect(valueAt(doc, 'aws.cloudtrail.response_elements')).toBeUndefined();
  });

  it('maps a failed root console login: outcome failure, user root, console-login flags', () => {
    const { doc } = map(rootConsoleLoginFailure);
    expect(doc).toMatchObject({
      event: { action: 'ConsoleLogin', provider: 'signin.amazonaws.com', outcome: 'failure', category: ['authentication'], type: ['start'] },
      user: { name: 'root', id: '111122223333' },
      related: { user: ['root'], ip: ['198.51.100.7'] },
      aws: {
        cloudtrail: {
          event_type: 'AwsConsoleSignIn',
          error_message: 'Failed authentication',
          console_login: { additional_eventdata: { mfa_used: false, mobile_version: false, login_to: 'https://console.aws.amazon.com/console/home' } },
          flattened: { response_elements: { ConsoleLogin: 'Failure' }, additional_eventdata: rootConsoleLoginFailure.additionalEventData },
        },
      },
    });
    const success = map({ ...rootConsoleLoginFailure, errorMessage: undefined, responseElements: { ConsoleLogin: 'Success' } });
    expect(success.doc.event).toMatchObject({ outcome: 'success' });
  });

  it('marks any call with an errorCode as failed', () => {
    const { doc } = map({ ...iamUserCreateAccessKey, errorCode: 'AccessDenied', errorMessage: 'User: arn:… is not authorized to perform: iam:CreateAccessKey' });
    expect(doc.event).toMatchObject({ outcome: 'failure' });
    expect(doc.aws).toMatchObject({ cloudtrail: { error_code: 'AccessDenied' } });
  });

  it('never puts a service hostname in source.ip: address + domain instead', () => {
    const { doc } = map(serviceCall);
    expect(doc.source).toEqual({ address: 'ec2.amazonaws.com', ip: undefined, domain: 'ec2.amazonaws.com' });
    expect(doc.related).toEqual({ user: undefined, ip: undefined, hosts: ['ec2.amazonaws.com'] });
    expect(doc.user).toMatchObject({ name: undefined });
    expect(doc).toMatchObject({
      event: { category: ['authentication'], type: ['start'] },
      cloud: { account: { id: '111122223333' } },
      aws: { cloudtrail: { user_identity: { type: 'AWSService', invoked_by: 'ec2.amazonaws.com' }, shared_event_id: 'shared-4', read_only: true } },
    });
    const internal = map({ ...serviceCall, sourceIPAddress: 'AWS Internal' });
    expect(internal.doc.source).toEqual({ address: 'AWS Internal', ip: undefined, domain: undefined });
  });

  it('falls back to userIdentity.accountId for cloud.account.id', () => {
    const { doc } = map({ ...iamUserCreateAccessKey, recipientAccountId: undefined });
    expect(doc.cloud).toMatchObject({ account: { id: '111122223333' } });
  });

  it('gives a record without eventID a stable hash id, independent of key order', () => {
    const { eventID: _dropped, ...noId } = iamUserCreateAccessKey;
    const a = map(noId);
    const reordered = Object.fromEntries(Object.entries(noId).reverse());
    const b = map(reordered);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.id).toBe(a.id);
    expect(a.doc.event).toMatchObject({ id: a.id });
    expect(recordId({ ...noId, eventName: 'DeleteAccessKey' })).not.toBe(a.id);
    expect(recordId({ ...noId, eventID: 'x'.repeat(600) })).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('leaves @timestamp out when eventTime cannot be parsed, and normalises other ISO forms', () => {
    expect(map({ ...serviceCall, eventTime: 'yesterday' }).doc['@timestamp']).toBeUndefined();
    expect(map({ ...serviceCall, eventTime: '2024-05-01T11:30:00+02:00' }).doc['@timestamp']).toBe('2024-05-01T09:30:00.000Z');
  });

  it('keeps the flattened copy within the mapping limits: deep subtrees become JSON text, no __proto__ tricks', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < FLATTENED_DEPTH_LIMIT + 20; i++) deep = { n: deep };
    const params = JSON.parse(`{"__proto__": {"polluted": 1}, "deep": ${JSON.stringify(deep)}, "${'k'.repeat(9000)}": 1, "ok": 2}`) as Record<string, unknown>;
    const { doc } = map({ ...serviceCall, requestParameters: params });
    const copy = valueAt(doc, 'aws.cloudtrail.flattened.request_parameters') as Record<string, unknown>;
    let depth = 1;
    let node: unknown = copy.deep;
    while (typeof node === 'object' && node !== null) {
      node = (node as Record<string, unknown>).n;
      depth++;
    }
    expect(depth).toBe(FLATTENED_DEPTH_LIMIT);
    expect(JSON.parse(node as string)).toHaveProperty('n');
    expect(Object.keys(copy).sort()).toEqual(['__proto__', 'deep', 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The JSON text keeps everything.
    expect(JSON.parse(String(valueAt(doc, 'aws.cloudtrail.request_parameters')))).toEqual(params);
    // Records within the limits are passed through untouched.
    expect(valueAt(map(serviceCall).doc, 'aws.cloudtrail.flattened.request_parameters')).toBe(serviceCall.requestParameters);
  });

  it('uses the file path for a local source', () => {
    const { doc } = toEcsDocument(serviceCall, null, { bucket: '/data/trail', key: 'AWSLogs/x.json.gz', recordIndex: 0 }, { ingestedAt: at });
    expect(doc.log).toEqual({ file: { path: '/data/trail/AWSLogs/x.json.gz' } });
  });

  it('serialises to JSON without empty values', () => {
    const text = JSON.stringify(map(assumedRoleRunInstances).doc);
    expect(text).not.toMatch(/null|"tls_details"|"console_login"|"rule"/);
  });
});
