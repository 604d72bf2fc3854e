import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { ConfigError, SinkError } from '../errors.js';
import { createEsClient, describeClient, describeEsTarget, toSinkError } from './es-client.js';

const SECRET = 'hunter2-s3cr3t';

describe('describeEsTarget', () => {
  it.each([
    { url: `https://elastic:${SECRET}@es.example.com:9243/`, expected: 'https://es.example.com:9243' },
    { url: 'http://127.0.0.1:9200', expected: 'http://127.0.0.1:9200' },
    { url: `https://es.example.com/proxy/es/?token=${SECRET}`, expected: 'https://es.example.com/proxy/es' },
    { url: `not a url with ${SECRET}`, expected: 'an invalid Elasticsearch URL' },
  ])('$url → $expected', ({ url, expected }) => {
    expect(describeEsTarget({ url })).toBe(expected);
  });

  it('names a Cloud deployment and the URL its id stands for, preferring it over the default URL', () => {
    const cloudId = `prod-logs:${Buffer.from('eu-west-1.aws.found.io:443$abc123$def456').toString('base64')}`;
    expect(describeEsTarget({ cloudId, url: 'http://127.0.0.1:9200' })).toBe('Elastic Cloud deployment "prod-logs" (https://abc123.eu-west-1.aws.found.io:443)');
  });
});

describe('createEsClient', () => {
  it('moves credentials out of the URL, so the connection (and errors about it) never show them', () => {
    const client = createEsClient({ url: `http://elastic:${SECRET}@127.0.0.1:9200` });
    expect(describeClient(client)).toBe('http://127.0.0.1:9200');
    expect(client.connectionPool.connections[0]?.url.password).toBe('');
    expect(JSON.stringify(client.connectionPool.connections[0]?.url)).not.toContain(SECRET);
  });

  it('reads a custom CA from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctindex-ca-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(() => createEsClient({ url: 'https://127.0.0.1:9200', caFile: join(dir, 'ca.pem') })).not.toThrow();
  });

  it.each([
    { opts: {}, code: 'es_target_missing' },
    { opts: { url: `::${SECRET}` }, code: 'es_url_invalid' },
    { opts: { url: 'http://h:9200', apiKey: 'a2V5', username: 'u', password: SECRET }, code: 'es_auth_conflict' },
    { opts: { url: `http://u:${SECRET}@h:9200`, apiKey: 'a2V5' }, code: 'es_auth_conflict' },
    { opts: { url: 'http://h:9200', username: 'u' }, code: 'es_auth_incomplete' },
    { opts: { url: 'http://h:9200', caFile: '/nonexistent/ca.pem' }, code: 'es_ca_unreadable' },
  ])('refuses $code without repeating secrets', ({ opts, code }) => {
    let thrown: unknown;
    try {
      createEsClient(opts);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe(code);
    expect((thrown as ConfigError).message).not.toContain(SECRET);
  });
});

describe('toSinkError', () => {
  const meta = (statusCode: number, body: unknown) => ({ body, statusCode, headers: {}, warnings: null, meta: {} }) as never;

  it.each([
    { error: new errors.ResponseError(meta(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic]' }, status: 401 })), code: 'es_unauthorized', text: '401 Unauthorized' },
    { error: new errors.ResponseError(meta(403, { error: { type: 'security_exception', reason: 'action [indices:data/write/bulk] is unauthorized' }, status: 403 })), code: 'es_forbidden', text: 'is unauthorized' },
    { error: new errors.ResponseError(meta(503, { error: { type: 'master_not_discovered_exception', reason: 'no master' }, status: 503 })), code: 'es_request_failed', text: '503 (master_not_discovered_exception: no master)' },
    { error: new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), code: 'es_unreachable', text: 'unreachable (connect ECONNREFUSED 127.0.0.1:9200)' },
    { error: new errors.ConnectionError(`connect ECONNREFUSED http://elastic:${SECRET}@127.0.0.1:9200`), code: 'es_unreachable', text: 'http://127.0.0.1:9200' },
    { error: new errors.TimeoutError('Request timed out'), code: 'es_timeout', text: 'did not answer' },
  ])('$code: one line naming the endpoint', ({ error, code, text }) => {
    const mapped = toSinkError(error, 'https://es.example.com:9243', 'sending a bulk request');
    expect(mapped).toBeInstanceOf(SinkError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain('https://es.example.com:9243');
    expect(mapped.message).toContain(text);
    expect(mapped.message).not.toContain('\n');
    expect(mapped.message).not.toContain(SECRET);
    expect(mapped.cause).toBeUndefined();
  });

  it('passes ctindex errors through unchanged', () => {
    const original = new SinkError('lease_lost', 'x');
    expect(toSinkError(original, 'e', 'a')).toBe(original);
  });
});
