// What the container image does, without Docker. The same steps as the Dockerfile: compile, npm
// pack (package.json "files"), unpack, `npm ci --omit=dev --ignore-scripts` with the project's
// lockfile. Then the CLI runs from that install as the image runs it: `node dist/cli/main.js`, as
// UID 10001 when the tests run as root, with the install made read-only (and HOME and TMPDIR
// inside it), configured through CTINDEX_* variables as the Kubernetes ConfigMap does, against
// the real Elasticsearch and S3 API server.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { removeNamespace } from '../../src/setup/remove-namespace.js';
import { summaryOf, TEST_AWS_ENV, type CliResult } from '../helpers/cli.js';
import { uniqueName } from '../helpers/trail-bucket.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const esUrl = inject('esUrl');
const s3Endpoint = inject('s3Endpoint');
const es = new Client({ node: esUrl });
const namespace = uniqueName('pkginstall');
const bucket = uniqueName('ctindex-pkg-install');
const EVENTS = 300;
/** Fixed, so the whole trail is in one known window whatever the day the test runs. */
const START = '2026-01-02T00:00:00Z';
/** The image's user; a root test process drops to it so that file permissions apply. */
const AS_IMAGE_USER = process.getuid?.() === 0 ? { uid: 10001, gid: 10001 } : {};

const work = mkdtempSync(join(tmpdir(), 'ctindex-image-'));
const app = join(work, 'app');

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The build and pack stage: compile into a staging copy, so the shared dist/ is left alone. */
function buildAndPack(): string {
  const stage = join(work, 'stage');
  run(process.execPath, [join(PROJECT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(stage, 'dist')], PROJECT);
  for (const entry of ['package.json', 'rules', 'index-templates', 'kibana-saved-objects']) cpSync(join(PROJECT, entry), join(stage, entry), { recursive: true });
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], stage)) as [{ filename: string; files: { path: string }[] }];
  return join(work, packed.filename);
}

/** The production stage: the package unpacked, the lockfile beside it, production dependencies only. */
function installProduction(tarball: string): void {
  mkdirSync(app);
  run('tar', ['-xzf', tarball, '--strip-components=1', '--no-same-owner', '-C', app], work);
  cpSync(join(PROJECT, 'package-lock.json'), join(app, 'package-lock.json'));
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], app);
}

/** Path → size and modification time of every file under `dir`. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((path) => {
      const s = statSync(join(dir, path));
      return [path, `${s.size}:${s.mtimeMs}`];
    }),
  );
}

/** Runs a program from the installed copy the way the image's ENTRYPOINT does, with only the environment given. */
function inImage(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', HOME: app, TMPDIR: app, ...TEST_AWS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...AS_IMAGE_USER,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const ctindex = (args: readonly string[], env?: Readonly<Record<string, string>>) => inImage([join(app, 'dist/cli/main.js'), ...args], env);

/** The sync settings as the CronJob receives them from its ConfigMap. */
const syncEnv = {
  CTINDEX_ES_URL: esUrl,
  CTINDEX_NAMESPACE: namespace,
  CTINDEX_BUCKET: bucket,
  CTINDEX_S3_ENDPOINT: s3Endpoint,
  CTINDEX_SINCE: START,
  CTINDEX_LOG_LEVEL: 'info',
};

async function countDocuments(index: string): Promise<number> {
  await es.indices.refresh({ index });
  return (await es.count({ index })).count;
}

let installed: Record<string, string>;

beforeAll(() => {
  chmodSync(work, 0o755);
  installProduction(buildAndPack());
  execFileSync('chmod', ['-R', 'a-w', app]);
  installed = snapshot(app);
});

afterAll(async () => {
  await removeNamespace(es, namespace);
  await es.close();
  execFileSync('chmod', ['-R', 'u+w', work]);
  rmSync(work, { recursive: true, force: true });
});

describe('the package as the image installs it', () => {
  it('holds the compiled CLI, the shipped assets and production dependencies only', () => {
    for (const path of ['dist/cli/main.js', 'rules/0010-ctindex_root.xml', 'index-templates', 'kibana-saved-objects/ctindex.ndjson', 'node_modules/@elastic/elasticsearch']) {
      expect(existsSync(join(app, path)), path).toBe(true);
    }
    for (const path of ['src', 'test', 'node_modules/typescript', 'node_modules/vitest', 'node_modules/testcontainers']) {
      expect(existsSync(join(app, path)), path).toBe(false);
    }
  });

  it('is read-only to the process that runs it', async () => {
    const probe = await inImage(['-e', `require('node:fs').writeFileSync(${JSON.stringify(join(app, 'probe'))}, 'x')`]);
    expect(probe.code).not.toBe(0);
    expect(probe.stderr).toMatch(/EACCES|EPERM|EROFS/);
  });

  it('ctindex --help lists the commands (the image\'s default CMD)', async () => {
    const result = await ctindex(['--help']);
    expect(result.code, result.stderr).toBe(0);
    for (const command of ['sync', 'setup', 'rules', 'kibana', 'demo-data']) expect(result.stdout).toContain(`ctindex ${command}`);
  });

  it('ctindex setup installs the namespace', async () => {
    const result = await ctindex(['setup', '--es-url', esUrl, '--namespace', namespace]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`namespace "${namespace}"`);
  });

  it('ctindex demo-data writes a trail to the S3 server', async () => {
    const result = await ctindex(['demo-data', '--out', `s3://${bucket}/`, '--s3-endpoint', s3Endpoint, '--events', String(EVENTS), '--start', START, '--seed', '11']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`with ${EVENTS} events`);
  });

  it('ctindex sync, configured by CTINDEX_* variables, indexes every event and records the run', async () => {
    const result = await ctindex(['sync'], syncEnv);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({ exitCode: 0, records: EVENTS, documents: { indexed: EVENTS, deadLettered: 0 }, objects: { failed: 0 } });
    // Log collectors get JSON lines on stderr when it is not a terminal.
    const logLines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(await countDocuments(`ctindex-cloudtrail-${namespace}`)).toBe(EVENTS);
    expect(await countDocuments(`ctindex-runs-${namespace}`)).toBe(1);
  });

  it('a pod of the sharded CronJob (Indexed Job) syncs its shard and adds no duplicates', async () => {
    // What the Job controller and the kubelet hand pod 1 of 2: JOB_COMPLETION_INDEX, the
    // ConfigMap's variables plus CTINDEX_SHARD_COUNT, and the args with $(…) expanded.
    const result = await ctindex(['sync', '--shard=1/2'], { ...syncEnv, JOB_COMPLETION_INDEX: '1', CTINDEX_SHARD_COUNT: '2' });
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({ exitCode: 0, shard: '1/2', documents: { indexed: 0 } });
    expect(await countDocuments(`ctindex-cloudtrail-${namespace}`)).toBe(EVENTS);
  });

  it('nothing wrote into the install', () => {
    expect(snapshot(app)).toEqual(installed);
  });
});
