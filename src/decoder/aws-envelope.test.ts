import { describe, expect, it } from 'vitest';
import { buildAwsEnvelope, type TrailLogInfo } from './aws-envelope.js';
import { forEachMember, JsonObject } from './json-text.js';

/** Compact JSON of an envelope tree in its member order, for readable whole-object assertions. */
function envelopeJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(envelopeJson).join(',')}]`;
  const members: string[] = [];
  forEachMember(value, (key, member) => members.push(`${JSON.stringify(key)}:${envelopeJson(member)}`));
  return `{${members.join(',')}}`;
}

const INFO: TrailLogInfo = {
  bucket: 'trail-bucket',
  key: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/123456789012_CloudTrail_us-east-1_20240501T1000Z_abc.json.gz',
};
const LOG_INFO = `"log_info":{"aws_account_alias":"","log_file":${JSON.stringify(INFO.key)},"s3bucket":"trail-bucket"}`;

/** The `aws` object's members after log_info, up to (not including) source/aws_account_id. */
function recordPart(record: Record<string, unknown>): string {
  const text = envelopeJson(buildAwsEnvelope(record, INFO));
  const start = `{"integration":"aws","aws":{${LOG_INFO},`;
  const end = ',"source":"cloudtrail","aws_account_id":"123456789012"}}';
  expect(text.startsWith(start) && text.endsWith(end), text).toBe(true);
  return `{${text.slice(start.length, -end.length)}}`;
}

describe('buildAwsEnvelope', () => {
  it('wraps the record: log_info first, record members, source, aws_account_id, then source_ip_address', () => {
    const record = { eventVersion: '1.08', eventName: 'ConsoleLogin', sourceIPAddress: '198.51.100.7', readOnly: false };
    expect(envelopeJson(buildAwsEnvelope(record, INFO))).toBe(
      `{"integration":"aws","aws":{${LOG_INFO},"eventVersion":"1.08","eventName":"ConsoleLogin",` +
        '"sourceIPAddress":"198.51.100.7","readOnly":false,"source":"cloudtrail","aws_account_id":"123456789012",' +
        '"source_ip_address":"198.51.100.7"}}',
    );
  });

  it('removes null members of objects recursively, but not nulls inside lists', () => {
    const record = { a: null, b: { c: null, d: 1, e: { f: null } }, g: [null, { h: null }] };
    expect(recordPart(record)).toBe('{"b":{"d":1,"e":{}},"g":[null,{"h":null}]}');
  });

  it('unwraps one-element lists through objects, without normalising the element taken out', () => {
    const record = { r: [{ x: null, t: ['only'] }], n: { m: ['z'] }, two: [1, 2], nested: [['a']], empty: [] };
    expect(recordPart(record)).toBe('{"r":{"x":null,"t":["only"]},"n":{"m":"z"},"two":[1,2],"nested":["a"],"empty":[]}');
  });

  it('removes nulls before unwrapping, so [null] becomes a kept null', () => {
    expect(recordPart({ a: [null] })).toBe('{"a":null}');
  });

  it.each([
    ['198.51.100.7', true],
    ['1.2.3.4.example.com', true], // anchored at the start only
    ['1.2x3y4', true], // two of the module's dots are unescaped
    ['ec2.amazonaws.com', false],
    ['AWS Internal', false],
    ['2001:db8::1', false],
  ])('copies sourceIPAddress %j to source_ip_address: %s', (ip, copied) => {
    const text = envelopeJson(buildAwsEnvelope({ sourceIPAddress: ip }, INFO));
    expect(text.includes('"source_ip_address"')).toBe(copied);
  });

  it('wraps non-object requestParameters, responseElements and additionalEventData with Python str()', () => {
    const record = {
      requestParameters: ['a', 'b'],
      responseElements: true,
      additionalEventData: 'text',
    };
    expect(recordPart(record)).toBe(
      '{"requestParameters":{"string":"[\'a\', \'b\']"},"responseElements":{"string":"True"},' +
        '"additionalEventData":{"string":"text"}}',
    );
  });

  it('wraps after unwrapping and null removal: objects stay, nulls vanish, [x] wraps x', () => {
    expect(recordPart({ requestParameters: [{ k: 'v' }], responseElements: null, additionalEventData: [null] })).toBe(
      '{"requestParameters":{"k":"v"},"additionalEventData":{"string":"None"}}',
    );
    expect(recordPart({ requestParameters: ['only'] })).toBe('{"requestParameters":{"string":"only"}}');
  });

  it('takes aws_account_id from the key (organization trails too), else recipientAccountId, else leaves it out', () => {
    const account = (record: Record<string, unknown>, key: string): unknown => {
      const aws = buildAwsEnvelope(record, { bucket: 'b', key }).entries[1]?.[1];
      return aws instanceof JsonObject ? aws.entries.find(([name]) => name === 'aws_account_id')?.[1] : undefined;
    };
    expect(account({}, 'prefix/AWSLogs/o-abc123def4/210987654321/CloudTrail/eu-west-1/2024/05/01/x.json.gz')).toBe('210987654321');
    expect(account({ recipientAccountId: '111122223333' }, 'local/file.json')).toBe('111122223333');
    expect(account({}, 'local/file.json')).toBeUndefined();
  });

  it('reports the configured account alias in log_info', () => {
    const text = envelopeJson(buildAwsEnvelope({}, { ...INFO, accountAlias: 'prod' }));
    expect(text).toContain('"log_info":{"aws_account_alias":"prod",');
  });

  it('replaces a record member named like a module key in place, as a Python dict does', () => {
    const text = envelopeJson(buildAwsEnvelope({ source: 'x', eventName: 'E' }, INFO));
    expect(text).toContain(`${LOG_INFO},"source":"cloudtrail","eventName":"E","aws_account_id"`);
  });

  it('never modifies the record and shares sub-objects that need no change', () => {
    const clean = { a: 1, b: { c: 'x' } };
    const record = { clean, dirty: { n: null, k: 1 }, list: ['one'] };
    const before = structuredClone(record);
    const aws = buildAwsEnvelope(record, INFO).entries[1]?.[1];
    expect(record).toEqual(before);
    expect(aws instanceof JsonObject && aws.entries.find(([name]) => name === 'clean')?.[1]).toBe(clean);
  });
});
