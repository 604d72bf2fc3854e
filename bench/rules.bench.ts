// Rule engine benchmark: median µs per event for decoding and for rule evaluation on the shipped
// ruleset, then with 100 → 2,000 extra rules beside it to show how evaluation scales with ruleset
// size. Events come from the demo generator (realistic service/caller mix). Each event is evaluated
// right after it is decoded, as sync does; the shipped ruleset is also timed on "cold" events,
// decoded long before and no longer in the CPU caches (the worst case, not what sync sees).
// Usage: npx tsx bench/rules.bench.ts [events]
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCloudTrailRecord } from '../src/decoder/decode-cloudtrail.js';
import type { DecodedEvent } from '../src/decoder/types.js';
import { generateTrail } from '../src/demo-data/generate-trail.js';
import { Prng } from '../src/demo-data/prng.js';
import { shippedRulesDir } from '../src/package-paths.js';
import { loadRuleset } from '../src/rules/load-rules.js';
import type { CompiledRuleset } from '../src/rules/ruleset.js';
import { machineLine } from './machine.js';

const EVENTS = Number(process.argv[2] ?? 50_000);
const SAMPLE = 1000;

function records(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const file of generateTrail({ seed: 3, events: EVENTS, accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], start: new Date('2026-01-01T00:00:00Z') })) {
    if (file.kind === 'log') out.push(...(JSON.parse(file.body.toString('utf8')) as { Records: Record<string, unknown>[] }).Records);
  }
  return out;
}

/** Median over samples of SAMPLE calls, in µs per call. */
function medianMicros<T>(items: readonly T[], fn: (item: T) => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i + SAMPLE <= items.length; i += SAMPLE) {
    const t0 = process.hrtime.bigint();
    for (let j = i; j < i + SAMPLE; j++) fn(items[j]!);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / SAMPLE);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * Extra rules under the CloudTrail gate (180000): half on an exact eventName, half on free text.
 * The free-text literals are random words, so they share no prefix a search could exploit.
 */
function syntheticRules(n: number): string {
  const prng = new Prng(n);
  const word = (): string => Array.from({ length: prng.int(8, 14) }, () => String.fromCharCode(prng.int(0x61, 0x7a))).join('');
  const rules: string[] = [];
  for (let i = 0; i < n; i++) {
    const condition = i % 2 === 0 ? `<field name="aws.eventName">^SyntheticAction${i}$</field>` : `<match>"${word()}"</match>`;
    rules.push(`  <rule id="${190000 + i}" level="4">\n    <if_sid>180000</if_sid>\n    ${condition}\n    <description>Synthetic rule ${i}</description>\n  </rule>`);
  }
  return `<group name="bench,">\n${rules.join('\n')}\n</group>\n`;
}

/** Cost of one `performance.now()` pair, subtracted from per-call timings (median of many). */
function timerOverheadMicros(): number {
  const pairs: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const t0 = performance.now();
    pairs.push(performance.now() - t0);
  }
  pairs.sort((a, b) => a - b);
  return (pairs[pairs.length >> 1] as number) * 1000;
}

/**
 * Median over samples of SAMPLE records of the µs `fn` takes per event, each event decoded just
 * before `fn` sees it, as sync does: only `fn` is timed, minus the timer's own cost.
 */
function justDecodedMicros(records: readonly Record<string, unknown>[], overhead: number, fn: (event: DecodedEvent) => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i + SAMPLE <= records.length; i += SAMPLE) {
    let total = 0;
    for (let j = i; j < i + SAMPLE; j++) {
      const event = decode(records[j]!);
      const t0 = performance.now();
      fn(event);
      total += performance.now() - t0;
    }
    samples.push((total * 1000) / SAMPLE - overhead);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

async function loadWithExtra(extra: number): Promise<CompiledRuleset> {
  const dir = mkdtempSync(join(tmpdir(), 'ctindex-bench-rules-'));
  for (const f of readdirSync(shippedRulesDir).filter((n) => n.endsWith('.xml'))) copyFileSync(join(shippedRulesDir, f), join(dir, f));
  if (extra > 0) writeFileSync(join(dir, '0900-bench_rules.xml'), syntheticRules(extra));
  return (await loadRuleset({ rules: [dir] })) as CompiledRuleset;
}

const decode = (r: Record<string, unknown>): DecodedEvent =>
  decodeCloudTrailRecord(r, { bucket: 'bench', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz' });

const line = (label: string, micros: number, note = ''): void => console.log(`${label.padEnd(42)} ${micros.toFixed(2)} µs/event median ${note}`.trimEnd());

console.log(`rules benchmark — ${machineLine()}`);
const recs = records();
for (const r of recs.slice(0, 5000)) decode(r);
line('decode (envelope + flatten)', medianMicros(recs, decode), `over ${recs.length} events`);
const overhead = timerOverheadMicros();

for (const extra of [0, 100, 500, 1000, 2000]) {
  const ruleset = await loadWithExtra(extra);
  const session = ruleset.newSession({ clock: 'event' });
  for (const r of recs.slice(0, 5000)) session.evaluate(decode(r)); // warm-up: let the JIT settle
  const micros = justDecodedMicros(recs, overhead, (e) => session.evaluate(e));
  line(`evaluate, ${String(ruleset.ruleCount).padStart(4)} rules`, micros);
  if (extra > 0) continue;
  // What sync pays per event: the order-sensitivity probe, then the evaluation.
  const both = justDecodedMicros(recs, overhead, (e) => {
    ruleset.isOrderSensitive(e);
    return session.evaluate(e);
  });
  line(`probe + evaluate, ${ruleset.ruleCount} rules (sync's cost)`, both);
  // The same evaluation over events decoded long before, no longer in the CPU caches.
  const events = recs.map(decode);
  const cold = medianMicros(events, (e) => session.evaluate(e));
  line(`evaluate, ${ruleset.ruleCount} rules, cold events`, cold);
}
