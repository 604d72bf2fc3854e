// End-to-end sync benchmark against the local services: writes N demo events into the S3 API
// server, then runs the built CLI under GNU time for (1) a dry run — read, decode, tag, map, no
// Elasticsearch — and (2) a real sync into Elasticsearch. Prints events/s, CPU µs per event and
// peak RSS. Usage: npx tsx bench/sync.bench.ts [events]   (services: npm run services:start)
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { machineLine } from './machine.js';

const events = Number(process.argv[2] ?? 1_000_000);
const env: NodeJS.ProcessEnv = { ...process.env, ...servicesEnv(), AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
const s3 = env.CTINDEX_S3_ENDPOINT as string;
const es = env.ES_URL as string;
const bucket = `ctindex-bench-${Date.now()}`;
const namespace = `bench${Date.now()}`;
const start = '2026-01-01T00:00:00Z';

function servicesEnv(): Record<string, string> {
  if (!existsSync('.services/env')) return {};
  return Object.fromEntries(readFileSync('.services/env', 'utf8').trim().split('\n').map((l) => l.split('=') as [string, string]));
}

interface Measured { seconds: number; cpuSeconds: number; peakRssMiB: number; summary: { records: number; eventsPerSecond: number; documents: { indexed: number } } }

function measure(args: string[], nodeFlags: string[] = []): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %M %U %S %e', 'node', ...nodeFlags, 'dist/cli/main.js', ...args], { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const timeLine = r.stderr.split('\n').find((l) => l.startsWith('TIME '));
  if (!timeLine) throw new Error(`sync did not run:\n${r.stderr.slice(-2000)}`);
  const [, rssKiB, user, sys, elapsed] = timeLine.split(' ').map(Number) as number[];
  const summaryLine = r.stdout.trim().split('\n').at(-1) ?? '{}';
  return { seconds: elapsed!, cpuSeconds: user! + sys!, peakRssMiB: rssKiB! / 1024, summary: (JSON.parse(summaryLine) as { summary: Measured['summary'] }).summary };
}

function report(label: string, m: Measured): void {
  const n = m.summary.records;
  console.log(
    `${label.padEnd(28)} ${n} events in ${m.seconds.toFixed(1)} s = ${Math.round(n / m.seconds)} events/s; ` +
      `CPU ${((m.cpuSeconds * 1e6) / n).toFixed(1)} µs/event; peak RSS ${m.peakRssMiB.toFixed(0)} MiB`,
  );
}

console.log(`sync benchmark — ${machineLine()}`);
const t0 = Date.now();
execFileSync('node', ['dist/cli/main.js', 'demo-data', '--out', `s3://${bucket}/`, '--s3-endpoint', s3, '--events', String(events),
  '--accounts', '111122223333,444455556666', '--regions', 'us-east-1,eu-west-1,ap-southeast-2,us-west-2', '--seed', '7', '--start', start], { env, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`generated and uploaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const common = ['sync', '--bucket', bucket, '--s3-endpoint', s3, '--since', start, '--log-level', 'warn'];
report('dry run (no Elasticsearch)', measure([...common, '--dry-run']));
// V8 sizes its heap from the machine's memory and grows it lazily, so on a large machine RSS says
// more about V8 than about ctindex; the capped run shows the bound a container sets (README: Sizing).
// The bounded run trades throughput for memory: a 128 MB heap and 2 MiB bulk requests.
for (const [label, nodeFlags, syncFlags, ns] of [
  ['sync into Elasticsearch', [], [], `${namespace}a`],
  ['  same, memory-bounded', ['--max-old-space-size=128'], ['--flush-bytes', String(2 * 2 ** 20)], `${namespace}b`],
] as const) {
  const real = measure([...common, ...syncFlags, '--es-url', es, '--namespace', ns], [...nodeFlags]);
  report(label, real);
  if (real.summary.documents.indexed !== real.summary.records) console.log(`WARNING: indexed ${real.summary.documents.indexed} of ${real.summary.records}`);
  await fetch(`${es}/ctindex-*-${ns}*`, { method: 'DELETE' });
}
