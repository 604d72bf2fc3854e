// The Dockerfile, checked for structure since no Docker engine builds it here (what the built
// image does is checked without Docker by test/integration/package-install.int.test.ts):
// multi-stage, pinned Node 20 base, production dependencies only, the shipped assets copied, a
// numeric non-root user, the documented entrypoint, OCI labels, and a build context that holds
// what the Dockerfile copies and nothing else.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const DOCKERFILE = readFileSync(root('Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(root('.dockerignore'), 'utf8');

interface Pkg {
  version: string;
  license: string;
  engines: { node: string };
  bin: Record<string, string>;
  files: string[];
}
const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as Pkg;
const lock = JSON.parse(readFileSync(root('package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly base: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** Instructions with continuation lines joined and comments dropped, as the builder reads them. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) || (pending === '' && line.trim() === '')) continue;
    pending += `${line.trim().replace(/\\$/, '')} `;
    if (line.trimEnd().endsWith('\\')) continue;
    const [keyword = '', ...rest] = pending.trim().split(/\s+/);
    result.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
    pending = '';
  }
  return result;
}

/** `${NAME}` and `$NAME` replaced by the ARG defaults declared before the first FROM. */
function expand(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => args[braced ?? bare ?? ''] ?? whole);
}

function parse(text: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const globalArgs: Record<string, string> = {};
  const stages: { base: string; name?: string; instructions: Instruction[] }[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const [base = '', as, name] = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      stages.push({ base: expand(base, globalArgs), name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && ins.keyword === 'ARG') {
      const [key = '', value = ''] = ins.args.split('=');
      globalArgs[key] = value;
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

function runs(stage: Stage | undefined): string[] {
  return (stage?.instructions ?? []).filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

/** The COPY instructions that read the build context (not another stage). */
function contextCopies(stage: Stage): { sources: string[]; destination: string }[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .map((i) => {
      const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      return { sources: words.slice(0, -1), destination: words.at(-1) ?? '' };
    });
}

function labels(stage: Stage, args: Readonly<Record<string, string>>): Record<string, string> {
  const text = stage.instructions.filter((i) => i.keyword === 'LABEL').map((i) => i.args).join(' ');
  return Object.fromEntries([...text.matchAll(/([\w.-]+)="([^"]*)"/g)].map(([, k, v]) => [k!, expand(v!, args)]));
}

/** Every way a Dockerfile breaks the image's contract; empty when it complies. */
function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const { globalArgs, stages } = parse(text);
  const stageNames = new Set(stages.map((s) => s.name));
  const runtime = stages.at(-1);
  if (stages.length < 2 || !runtime) return ['not a multi-stage build'];

  for (const { base } of stages.filter((s) => !stageNames.has(s.base))) {
    const [, tag] = /^[^@]+?(?::([^:@/]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(base) ?? [];
    if (!tag || tag.startsWith('latest')) problems.push(`FROM ${base}: pin a version tag (and preferably a digest), never latest`);
    const node = /^node:(\d+)\.(\d+)\.(\d+)-/.exec(base);
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node) ?? [];
    if (!node) problems.push(`FROM ${base}: use the official node image with a full version`);
    else if (node[1] !== wantMajor || Number(node[2]) < Number(wantMinor)) problems.push(`FROM ${base}: package.json engines wants Node ${pkg.engines.node}, major ${wantMajor}`);
  }

  const build = stages.find((s) => runs(s).some((r) => r.includes('npm run build')));
  if (!build) problems.push('no stage runs npm run build');
  else {
    if (!runs(build).some((r) => /\bnpm ci\b/.test(r))) problems.push('the build stage must install from the lockfile (npm ci)');
    const copied = new Set(contextCopies(build).flatMap((c) => c.sources));
    // README.md is documentation: the image does not need it and npm pack leaves it out if absent.
    for (const entry of pkg.files.filter((f) => f !== 'dist' && f !== 'README.md')) if (!copied.has(entry)) problems.push(`the build stage does not copy ${entry}/ (package.json "files")`);
    if (!runs(build).some((r) => r.includes('npm pack'))) problems.push('the build stage must npm pack, so the image holds what package.json "files" ships');
  }

  const prod = stages.find((s) => runs(s).some((r) => /\bnpm ci\b[^&]*--omit=dev/.test(r)));
  if (!prod) problems.push('no stage installs production dependencies only (npm ci --omit=dev)');
  else if (!runs(prod).some((r) => /--omit=dev[^&]*--ignore-scripts|--ignore-scripts[^&]*--omit=dev/.test(r))) problems.push('the production install must not run install scripts (--ignore-scripts)');
  const appFrom = runtime.instructions.find((i) => i.keyword === 'COPY' && /\s\/app\s+\/app$/.test(` ${i.args}`))?.args;
  if (!prod || appFrom !== `--from=${prod.name} /app /app`) problems.push('the runtime stage must take /app from the production-dependencies stage');
  if (runs(runtime).some((r) => /\bnpm (ci|install|i)\b/.test(r))) problems.push('the runtime stage must not install dependencies itself');

  const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
  const uid = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!uid || Number(uid[1]) === 0 || uid[2] === '0') problems.push(`USER ${user || '(none)'}: run as a numeric, non-root UID:GID`);

  const exec = (keyword: string) => {
    const args = runtime.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
    try {
      return args === undefined ? undefined : (JSON.parse(args) as unknown);
    } catch {
      return args;
    }
  };
  const entrypoint = ['node', `/app/${pkg.bin.ctindex}`];
  if (JSON.stringify(exec('ENTRYPOINT')) !== JSON.stringify(entrypoint)) problems.push(`ENTRYPOINT must be the exec form ${JSON.stringify(entrypoint)}`);
  if (JSON.stringify(exec('CMD')) !== '["--help"]') problems.push('CMD must be ["--help"]');

  const stageArgs = { ...globalArgs, ...Object.fromEntries(runtime.instructions.filter((i) => i.keyword === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=') as [string, string])) };
  const oci = labels(runtime, stageArgs);
  for (const key of ['title', 'description', 'version', 'revision', 'licenses', 'source']) {
    if (!oci[`org.opencontainers.image.${key}`]) problems.push(`missing label org.opencontainers.image.${key}`);
  }
  if (oci['org.opencontainers.image.version'] !== pkg.version) problems.push(`label version ${oci['org.opencontainers.image.version']} is not package.json's ${pkg.version}`);
  if (oci['org.opencontainers.image.licenses'] !== pkg.license) problems.push(`label licenses is not package.json's ${pkg.license}`);
  return problems;
}

describe('Dockerfile', () => {
  it('complies: multi-stage, pinned Node base, production-only install, non-root, entrypoint, labels', () => {
    expect(dockerfileProblems(DOCKERFILE)).toEqual([]);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const allowed = new Set(DOCKERIGNORE.split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, '')));
    const sources = parse(DOCKERFILE).stages.flatMap(contextCopies).flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => !existsSync(root(s)))).toEqual([]);
    expect(sources.filter((s) => !allowed.has(s))).toEqual([]);
    // An allowlist: everything not re-included above is excluded.
    expect(DOCKERIGNORE.split('\n')).toContain('*');
  });

  it('needs no install scripts in production (so --ignore-scripts changes nothing there)', () => {
    const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript && !p.dev).map(([name]) => name);
    expect(withScripts).toEqual([]);
  });

  it('finds what is wrong in a broken Dockerfile', () => {
    const broken = DOCKERFILE.replace(/^ARG NODE_VERSION=.*$/m, 'ARG NODE_VERSION=latest')
      .replace('&& npm ci --omit=dev', '&& npm ci')
      .replace('COPY rules ./rules\n', '')
      .replace(/^USER .*$/m, 'USER root')
      .replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node /app/dist/cli/main.js');
    expect(dockerfileProblems(broken)).toEqual([
      ...['build', 'prod', 'runtime'].flatMap(() => [
        'FROM node:latest-bookworm-slim: pin a version tag (and preferably a digest), never latest',
        'FROM node:latest-bookworm-slim: use the official node image with a full version',
      ]),
      'the build stage does not copy rules/ (package.json "files")',
      'no stage installs production dependencies only (npm ci --omit=dev)',
      'the runtime stage must take /app from the production-dependencies stage',
      'USER root: run as a numeric, non-root UID:GID',
      'ENTRYPOINT must be the exec form ["node","/app/dist/cli/main.js"]',
    ]);
    expect(dockerfileProblems('FROM node:latest\nFROM node:20.20.2-bookworm-slim AS runtime\n')).toContain('FROM node:latest: pin a version tag (and preferably a digest), never latest');
  });
});
