// `ctindex kibana import` against a fake Kibana on 127.0.0.1 that checks the exact import request
// and answers as Kibana 8 does: success, per-object conflicts and missing references, 401, 500 and a
// dropped connection.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveKibanaImportOptions, runKibanaImport, type KibanaImportOptions } from '../../src/cli/commands/kibana.js';
import { ConfigError, KibanaError } from '../../src/errors.js';
import { authorizationHeader, importUrl, parseImportResponse, type KibanaAuth } from '../../src/kibana/import-saved-objects.js';
import { parseExportNdjson } from '../../src/kibana/check-saved-objects.js';
import { savedObjectsDir } from '../../src/package-paths.js';
import {
  CLOSE,
  INTERNAL_ERROR,
  UNAUTHORIZED,
  importSuccess,
  importWithErrors,
  startFakeKibana,
  type ExpectedImport,
  type FakeKibana,
  type FakeReply,
  type ObjectRef,
} from '../helpers/fake-kibana.js';

const SHIPPED = join(savedObjectsDir, 'ctindex.ndjson');
const CONTENT = readFileSync(SHIPPED);
const OBJECTS: ObjectRef[] = parseExportNdjson(CONTENT.toString('utf8')).objects.map((o) => ({
  type: String(o.type),
  id: String(o.id),
  title: String((o.attributes as { title: unknown }).title),
}));
const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
const PASSWORD = 's3cr3t-Pa55';

let kibana: FakeKibana | undefined;
afterEach(async () => {
  await kibana?.close();
  kibana = undefined;
});

interface Scenario {
  readonly space?: string;
  readonly overwrite?: boolean;
  readonly auth?: KibanaAuth;
  readonly files?: readonly string[];
}

async function start(replies: readonly FakeReply[], s: Scenario = {}, content: Buffer = CONTENT, filename = 'ctindex.ndjson'): Promise<KibanaImportOptions> {
  const auth = s.auth ?? { kind: 'apiKey', apiKey: API_KEY };
  const expected: ExpectedImport = {
    space: s.space ?? 'default',
    overwrite: s.overwrite ?? true,
    authorization: authorizationHeader(auth),
    filename,
    content,
  };
  kibana = await startFakeKibana(expected, replies);
  return {
    target: { kibanaUrl: kibana.url, auth, space: expected.space, timeoutMs: 5000 },
    overwrite: expected.overwrite,
    files: s.files ?? [SHIPPED],
  };
}

async function run(options: KibanaImportOptions): Promise<{ lines: string[]; error?: unknown }> {
  const lines: string[] = [];
  try {
    await runKibanaImport(options, (l) => lines.push(l));
    return { lines };
  } catch (error) {
    return { lines, error };
  }
}

/** Nothing secret may appear in what the command prints or throws. */
function expectNoSecrets(text: string): void {
  for (const secret of [API_KEY, PASSWORD, Buffer.from(`elastic:${PASSWORD}`).toString('base64')]) expect(text).not.toContain(secret);
}

describe('ctindex kibana import', () => {
  it('overwrites the shipped objects in the default space with an API key, printing each one', async () => {
    const options = await start([importSuccess(OBJECTS, { overwrite: true })]);
    const { lines, error } = await run(options);
    expect(error).toBeUndefined();
    expect(kibana?.violations).toEqual([]);
    expect(kibana?.requests).toHaveLength(1);
    expect(kibana?.requests[0]).toMatchObject({ method: 'POST', path: '/api/saved_objects/_import', query: '?overwrite=true' });
    expect(kibana?.requests[0]?.headers).toMatchObject({ 'kbn-xsrf': 'true', authorization: `ApiKey ${API_KEY}` });
    expect(lines[0]).toBe(`kibana-saved-objects/ctindex.ndjson → Kibana at ${kibana?.url} (space default): ${OBJECTS.length} imported.`);
    expect(lines).toHaveLength(OBJECTS.length + 2);
    expect(lines[1]).toMatch(/^ {2}overwritten {2}index-pattern +ctindex-cloudtrail +ctindex-cloudtrail\*$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}overwritten {2}dashboard +ctindex-dashboard-overview +\[ctindex\] CloudTrail overview$/));
    expect(lines.at(-1)).toBe(`Imported ${OBJECTS.length} saved objects into Kibana at ${kibana?.url} (space default). Open Analytics → Dashboards and search for "[ctindex]".`);
  });

  it('creates the objects in another space under /s/<space>, with basic auth and without overwrite', async () => {
    const auth: KibanaAuth = { kind: 'basic', username: 'elastic', password: PASSWORD };
    const options = await start([importSuccess(OBJECTS, { overwrite: false })], { space: 'security-team', overwrite: false, auth });
    const { lines, error } = await run(options);
    expect(error).toBeUndefined();
    expect(kibana?.violations).toEqual([]);
    expect(kibana?.requests[0]).toMatchObject({ path: '/s/security-team/api/saved_objects/_import', query: '' });
    expect(kibana?.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`);
    expect(lines.filter((l) => l.startsWith('  created  '))).toHaveLength(OBJECTS.length);
    expectNoSecrets(lines.join('\n'));
  });

  it('reports a conflict per object and fails, suggesting --overwrite', async () => {
    const [first, ...rest] = OBJECTS as [ObjectRef, ...ObjectRef[]];
    const options = await start([importWithErrors(rest, [{ ...first, error: { type: 'conflict' } }])], { overwrite: false });
    const { lines, error } = await run(options);
    expect(kibana?.violations).toEqual([]);
    expect(error).toBeInstanceOf(KibanaError);
    expect((error as KibanaError).code).toBe('kibana_import_errors');
    expect((error as KibanaError).message).toBe(
      `Kibana at ${kibana?.url} (space default) did not import 1 of ${OBJECTS.length} objects from kibana-saved-objects/ctindex.ndjson (conflict). Re-run with --overwrite to replace the existing objects.`,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}error {8}index-pattern +ctindex-cloudtrail +ctindex-cloudtrail\*: conflict \(an object with this id already exists\)$/),
    );
    expect(lines.filter((l) => l.startsWith('  created  '))).toHaveLength(OBJECTS.length - 1);
  });

  it('names the missing references of objects Kibana could not link', async () => {
    const dashboards = OBJECTS.filter((o) => o.type === 'dashboard');
    const failed = dashboards.map((d) => ({ ...d, error: { type: 'missing_references', references: [{ type: 'lens', id: 'ctindex-lens-top-users' }] } }));
    const options = await start([importWithErrors(OBJECTS.filter((o) => o.type !== 'dashboard'), failed)]);
    const { lines, error } = await run(options);
    expect(kibana?.violations).toEqual([]);
    expect((error as KibanaError).message).toContain(`did not import ${dashboards.length} of ${OBJECTS.length} objects`);
    expect((error as KibanaError).message).toContain('(missing_references)');
    expect((error as KibanaError).message).not.toContain('--overwrite');
    expect(lines).toContainEqual(expect.stringMatching(/ctindex-dashboard-iam +\[ctindex\] CloudTrail IAM: missing_references \(missing lens:ctindex-lens-top-users\)$/));
  });

  it.each<[string, FakeReply, string, RegExp]>([
    ['a 401', UNAUTHORIZED, 'kibana_auth', /refused the import of .*ctindex\.ndjson: 401 Unauthorized: \[security_exception Root causes: .*\(check --api-key or --username\/--password\)\.$/],
    ['a 500', INTERNAL_ERROR, 'kibana_http_error', /failed to import .*ctindex\.ndjson: 500 Internal Server Error: An internal server error occurred\.$/],
    ['a closed connection', CLOSE, 'kibana_unreachable', /^Cannot import into Kibana at http:\/\/127\.0\.0\.1:\d+: the connection was closed before Kibana answered\.$/],
    ['a 200 that is not Kibana JSON', { kind: 'json', status: 200, body: { hello: 'proxy' } }, 'kibana_bad_response', /sent an unexpected answer to the import of .*: no success\/successCount\.$/],
  ])('fails on %s with one line naming Kibana and no credentials', async (_name, reply, code, message) => {
    const auth: KibanaAuth = { kind: 'basic', username: 'elastic', password: PASSWORD };
    const options = await start([reply], { auth });
    const { lines, error } = await run(options);
    expect(kibana?.violations).toEqual([]);
    expect(error).toBeInstanceOf(KibanaError);
    const e = error as KibanaError;
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(kibana?.url);
    expect(e.message).not.toContain('\n');
    expect(e.context).toMatchObject({ kibanaUrl: kibana?.url, space: 'default' });
    expectNoSecrets(`${e.message}\n${JSON.stringify(e.context)}\n${lines.join('\n')}`);
    expect(lines).toEqual([]);
  });

  it('fails with kibana_unreachable when nothing listens', async () => {
    const port = await freePort();
    const options: KibanaImportOptions = {
      target: { kibanaUrl: `http://127.0.0.1:${port}`, auth: { kind: 'apiKey', apiKey: API_KEY }, space: 'default', timeoutMs: 5000 },
      overwrite: true,
      files: [SHIPPED],
    };
    const { error } = await run(options);
    expect(error).toBeInstanceOf(KibanaError);
    expect((error as KibanaError).message).toBe(`Cannot import into Kibana at http://127.0.0.1:${port}: connection refused.`);
  });

  it('imports several files in order, one request each, and stops at the first with errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctindex-kibana-'));
    const files = ['a', 'b', 'c'].map((n) => {
      const path = join(dir, `${n}.ndjson`);
      const content = Buffer.from(`{"attributes":{"title":"${n}"},"id":"${n}","references":[],"type":"tag"}\n`);
      writeFileSync(path, content);
      return { path, content, ref: { type: 'tag', id: n, title: n } };
    });
    const [a, b] = files as [(typeof files)[number], (typeof files)[number]];
    const auth: KibanaAuth = { kind: 'apiKey', apiKey: API_KEY };
    kibana = await startFakeKibana(
      files.map((f) => ({ space: 'default', overwrite: true, authorization: authorizationHeader(auth), filename: basename(f.path), content: f.content })),
      [importSuccess([a.ref], { overwrite: true }), importWithErrors([], [{ ...b.ref, error: { type: 'unsupported_type' } }])],
    );
    const { lines, error } = await run({ target: { kibanaUrl: kibana.url, auth, space: 'default', timeoutMs: 5000 }, overwrite: true, files: files.map((f) => f.path) });
    expect(kibana.violations).toEqual([]);
    expect(kibana.requests).toHaveLength(2);
    expect(lines).toEqual([
      `${a.path} → Kibana at ${kibana.url} (space default): 1 imported.`,
      '  overwritten  tag  a  a',
      `${b.path} → Kibana at ${kibana.url} (space default): 0 imported.`,
      '  error        tag  b  b: unsupported_type (this Kibana does not know or cannot import this type)',
    ]);
    expect((error as KibanaError).message).toBe(`Kibana at ${kibana.url} (space default) did not import 1 of 1 objects from ${b.path} (unsupported_type).`);
  });

  it('prints Kibana warnings and the id an object was stored under in another space', () => {
    const body = JSON.stringify({
      success: true,
      successCount: 1,
      successResults: [{ type: 'dashboard', id: 'ctindex-dashboard-iam', destinationId: '1f3c…', meta: { title: 'IAM' } }],
      warnings: [{ type: 'simple', message: 'Some objects were migrated.' }],
    });
    expect(parseImportResponse(body, 'ctx')).toEqual({
      successCount: 1,
      objects: [{ outcome: 'created', type: 'dashboard', id: 'ctindex-dashboard-iam', title: 'IAM', destinationId: '1f3c…' }],
      warnings: ['Some objects were migrated.'],
    });
  });
});

describe('import request shape', () => {
  it.each([
    ['http://kibana:5601', 'default', true, 'http://kibana:5601/api/saved_objects/_import?overwrite=true'],
    ['http://kibana:5601/', 'default', false, 'http://kibana:5601/api/saved_objects/_import'],
    ['https://example.com/kibana', 'ops', true, 'https://example.com/kibana/s/ops/api/saved_objects/_import?overwrite=true'],
  ])('%s, space %s, overwrite %s → %s', (base, space, overwrite, url) => {
    expect(importUrl(base, space, overwrite).href).toBe(url);
  });

  it('sends an id:key API key in its encoded form', () => {
    expect(authorizationHeader({ kind: 'apiKey', apiKey: 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw' })).toBe(`ApiKey ${API_KEY}`);
    expect(authorizationHeader({ kind: 'apiKey', apiKey: API_KEY })).toBe(`ApiKey ${API_KEY}`);
    expect(authorizationHeader({ kind: 'none' })).toBeUndefined();
  });
});

describe('resolveKibanaImportOptions', () => {
  it('defaults to the shipped files, the default space and no overwrite', async () => {
    const options = await resolveKibanaImportOptions({ kibanaUrl: 'https://kibana.example:5601/base/', apiKey: API_KEY, space: 'default' });
    expect(options).toEqual({
      target: { kibanaUrl: 'https://kibana.example:5601/base', auth: { kind: 'apiKey', apiKey: API_KEY }, space: 'default', timeoutMs: 120_000 },
      overwrite: false,
      files: [SHIPPED],
    });
  });

  it('reports every flag problem at once, without echoing credentials', async () => {
    const error = await resolveKibanaImportOptions({
      kibanaUrl: `https://elastic:${PASSWORD}@kibana:5601`,
      apiKey: API_KEY,
      username: 'elastic',
      space: 'Security Team',
      file: ['dashboards.json'],
      caFile: '/nonexistent/ca.pem',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      '--kibana-url: put credentials in --api-key or --username/--password, not in the URL',
      '--api-key: give either an API key or --username/--password, not both',
      '--space: a space id has only lowercase letters, digits, _ and -',
      '--file: dashboards.json is not an .ndjson file (Kibana imports only those)',
      '--ca-file: cannot read /nonexistent/ca.pem (ENOENT)',
    ]);
    expectNoSecrets((error as ConfigError).message);
  });

  it.each([
    [{}, '--kibana-url: required (or CTINDEX_KIBANA_URL)'],
    [{ kibanaUrl: 'kibana:5601' }, '--kibana-url: use http:// or https://'],
    [{ kibanaUrl: 'http://kibana:5601', username: 'elastic' }, '--password: required with --username'],
    [{ kibanaUrl: 'http://kibana:5601', password: PASSWORD }, '--username: required with --password'],
  ])('rejects %j', async (argv, message) => {
    await expect(resolveKibanaImportOptions(argv)).rejects.toThrow(message);
  });

  it('reads the CA file and takes basic auth and repeated --file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctindex-kibana-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const options = await resolveKibanaImportOptions({ kibanaUrl: 'https://kibana:5601', username: 'elastic', password: PASSWORD, space: 'ops', overwrite: true, file: ['a.ndjson', 'b.ndjson'], caFile: ca });
    expect(options.target).toMatchObject({ auth: { kind: 'basic', username: 'elastic', password: PASSWORD }, space: 'ops', ca: Buffer.from('-----BEGIN CERTIFICATE-----\n') });
    expect(options.files).toEqual(['a.ndjson', 'b.ndjson']);
    expect(options.overwrite).toBe(true);
  });
});

/** A port nothing listens on: bind one, note it, release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
