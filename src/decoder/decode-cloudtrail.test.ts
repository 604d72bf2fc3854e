import { describe, expect, it } from 'vitest';
import { CLOUDTRAIL_HOSTNAME, CLOUDTRAIL_LOCATION, decodeCloudTrailRecord, isCloudTrailRecord } from './decode-cloudtrail.js';
import { MAX_DYNAMIC_FIELDS } from './flatten.js';

const INFO = { bucket: 'trail-bucket', key: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/f.json.gz' };

const CONSOLE_LOGIN = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', principalId: 'AIDA', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' },
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  sourceIPAddress: '198.51.100.7',
  userAgent: 'Mozilla/5.0',
  errorMessage: null,
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Failure' },
  additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com' },
  resources: [{ type: 'AWS::IAM::User', ARN: 'arn:aws:iam::123456789012:user/alice' }],
  tags: ['x', 'y'],
  eventID: '3f6a1c2e-0000-4000-8000-000000000001',
  readOnly: false,
  managementEvent: true,
  recipientAccountId: '123456789012',
};

describe('decodeCloudTrailRecord', () => {
  it('decodes the AWS module envelope as the json decoder would, plus the issue-3 static fields', () => {
    const event = decodeCloudTrailRecord(CONSOLE_LOGIN, INFO);
    expect(event.fields).toEqual([
      ['integration', 'aws'],
      ['aws.log_info.aws_account_alias', ''],
      ['aws.log_info.log_file', INFO.key],
      ['aws.log_info.s3bucket', 'trail-bucket'],
      ['aws.eventVersion', '1.08'],
      ['aws.userIdentity.type', 'IAMUser'],
      ['aws.userIdentity.principalId', 'AIDA'],
      ['aws.userIdentity.arn', 'arn:aws:iam::123456789012:user/alice'],
      ['aws.userIdentity.userName', 'alice'],
      ['aws.eventTime', '2024-05-01T10:00:00Z'],
      ['aws.eventSource', 'signin.amazonaws.com'],
      ['aws.eventName', 'ConsoleLogin'],
      ['aws.sourceIPAddress', '198.51.100.7'],
      ['aws.userAgent', 'Mozilla/5.0'],
      ['aws.responseElements.ConsoleLogin', 'Failure'],
      ['aws.additionalEventData.MFAUsed', 'No'],
      ['aws.additionalEventData.LoginTo', 'https://console.aws.amazon.com'],
      ['aws.resources.type', 'AWS::IAM::User'],
      ['aws.resources.ARN', 'arn:aws:iam::123456789012:user/alice'],
      ['aws.tags', '["x", "y"]'],
      ['aws.eventID', '3f6a1c2e-0000-4000-8000-000000000001'],
      ['aws.readOnly', 'false'],
      ['aws.managementEvent', 'true'],
      ['aws.recipientAccountId', '123456789012'],
      ['aws.source', 'cloudtrail'],
      ['aws.aws_account_id', '123456789012'],
      ['aws.source_ip_address', '198.51.100.7'],
    ]);
    expect(event.statics).toEqual({
      action: 'ConsoleLogin',
      srcip: '198.51.100.7',
      srcuser: 'alice',
      id: '3f6a1c2e-0000-4000-8000-000000000001',
    });
    expect(event).toMatchObject({
      log: JSON.stringify(CONSOLE_LOGIN),
      decoder: 'json',
      location: CLOUDTRAIL_LOCATION,
      hostname: CLOUDTRAIL_HOSTNAME,
      agentId: '000',
      eventTimeMs: Date.UTC(2024, 4, 1, 10),
    });
    expect(CLOUDTRAIL_LOCATION).toBe('Wazuh-AWS');
  });

  it('indexes fields by lower-cased name, the first one winning', () => {
    const event = decodeCloudTrailRecord(CONSOLE_LOGIN, INFO);
    expect(event.fieldIndex.get('aws.eventname')).toBe('ConsoleLogin');
    expect(event.fieldIndex.get('aws.resources.arn')).toBe('arn:aws:iam::123456789012:user/alice');
    expect(event.fieldIndex.size).toBe(event.fields.length);
  });

  it.each([
    ['2001:db8::7', '2001:db8::7'],
    ['ec2.amazonaws.com', undefined],
    ['AWS Internal', undefined],
  ])('sets srcip from sourceIPAddress %j only when it is an address', (sourceIPAddress, srcip) => {
    expect(decodeCloudTrailRecord({ ...CONSOLE_LOGIN, sourceIPAddress }, INFO).statics.srcip).toBe(srcip);
  });

  it.each([
    [{ type: 'IAMUser', userName: 'bob', arn: 'arn:aws:iam::1:user/bob' }, 'bob'],
    [{ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s' }, 'arn:aws:sts::1:assumed-role/r/s'],
    [{ type: 'Root', userName: '', arn: 'arn:aws:iam::1:root' }, 'arn:aws:iam::1:root'],
    [{ type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, undefined],
  ])('sets srcuser to the user name, else the ARN: %j', (userIdentity, srcuser) => {
    expect(decodeCloudTrailRecord({ ...CONSOLE_LOGIN, userIdentity }, INFO).statics.srcuser).toBe(srcuser);
  });

  it('leaves the event time unknown when eventTime is missing or unreadable', () => {
    expect(decodeCloudTrailRecord({ ...CONSOLE_LOGIN, eventTime: 'yesterday' }, INFO).eventTimeMs).toBeUndefined();
    expect(decodeCloudTrailRecord({ eventVersion: '1', eventSource: 's' }, INFO).eventTimeMs).toBeUndefined();
  });

  it('carries non-ASCII text as UTF-8 bytes in log, fields and statics, cut at NUL', () => {
    const event = decodeCloudTrailRecord({ eventName: 'Ré\u0000x', userIdentity: { userName: 'José' } }, INFO);
    expect(event.log).toBe('{"eventName":"R\xc3\xa9\\u0000x","userIdentity":{"userName":"Jos\xc3\xa9"}}');
    expect(event.fieldIndex.get('aws.eventname')).toBe('R\xc3\xa9');
    expect(event.statics).toEqual({ action: 'R\xc3\xa9', srcuser: 'Jos\xc3\xa9' });
  });

  it('follows JSON.parse member order: integer-like keys come first (Python would keep document order)', () => {
    const record = JSON.parse('{"eventVersion":"1","requestParameters":{"b":"x","10":"y"}}') as Record<string, unknown>;
    const names = decodeCloudTrailRecord(record, INFO).fields.map(([name]) => name);
    expect(names.filter((name) => name.startsWith('aws.requestParameters'))).toEqual([
      'aws.requestParameters.10',
      'aws.requestParameters.b',
    ]);
  });

  it(`keeps at most ${MAX_DYNAMIC_FIELDS} fields, so the module's trailing members drop out of a huge record`, () => {
    const requestParameters = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, i]));
    const event = decodeCloudTrailRecord({ eventVersion: '1', requestParameters }, INFO);
    expect(event.fields).toHaveLength(MAX_DYNAMIC_FIELDS);
    expect(event.fieldIndex.has('aws.source')).toBe(false);
  });
});

describe('isCloudTrailRecord', () => {
  it.each([
    [{ eventVersion: '1.08', eventSource: 'iam.amazonaws.com' }, true],
    [{ eventVersion: '1.08' }, false],
    [{ eventSource: 'iam.amazonaws.com' }, false],
    [[{ eventVersion: '1', eventSource: 's' }], false],
    [null, false],
    ['{"eventVersion":"1","eventSource":"s"}', false],
    [Object.create({ eventVersion: '1', eventSource: 's' }) as object, false],
  ])('%j → %s', (value, expected) => {
    expect(isCloudTrailRecord(value)).toBe(expected);
  });
});
