// Rule engine benchmark: median µs per event for decoding and for rule evaluation on the shipped
// ruleset, then with 100 → 2,000 extra rules beside it to show how evaluation scales with ruleset
// size. Events come from the demo generator (realistic service/caller mix).
// Usage: npx tsx bench/rules.bench.ts [events]
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCloudTrailRecord } from '../src/decoder/decode-cloudtrail.js';
import type { DecodedEvent } from '../src/decoder/types.js';
import { generateTrail } from '../src/demo-data/generate-trail.js';
import { shippedRulesDir } from '../src/package-paths.js';
import { loadRuleset } from '../src/rules/load-rules.js';
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

/** Extra rules under the CloudTrail gate (180000): half on an exact eventName, half on free text. */
function syntheticRules(n: number): string {
  const rules: string[] = [];
  for (let i = 0; i < n; i++) {
    const condition = process.env.BENCH_MATCH_RULES === "0" || i % 2 === 0
      ? `<field name="aws.eventName">^SyntheticAction${i}$</field>`
      : `<match>"synthetic-marker-${i}"</match>`;
    rules.push(`  <rule id="${190000 + i}" level="4">\n    <if_sid>180000</if_sid>\n    ${condition}\n    <description>Synthetic rule ${i}</description>\n  </rule>`);
  }
  return `<group name="bench,">\n${rules.join('\n')}\n</group>\n`;
}

async function evaluateMicros(dir: string, events: readonly DecodedEvent[]): Promise<{ rules: number; micros: number }> {
  const ruleset = await loadRuleset({ rules: [dir] });
  const session = ruleset.newSession({ clock: 'event' });
  for (const e of events.slice(0, 5000)) session.evaluate(e); // warm-up: let the JIT settle
  return { rules: ruleset.ruleCount, micros: medianMicros(events, (e) => session.evaluate(e)) };
}

console.log(`rules benchmark — ${machineLine()}`);
const recs = records();
const decode = (r: Record<string, unknown>) => decodeCloudTrailRecord(r, { bucket: 'bench', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz' });
for (const r of recs.slice(0, 5000)) decode(r);
console.log(`decode (envelope + flatten)   ${medianMicros(recs, decode).toFixed(2)} µs/event median over ${recs.length} events`);
const events = recs.map(decode);

for (const extra of [0, 100, 500, 1000, 2000]) {
  const dir = mkdtempSync(join(tmpdir(), 'ctindex-bench-rules-'));
  for (const f of readdirSync(shippedRulesDir).filter((n) => n.endsWith('.xml'))) copyFileSync(join(shippedRulesDir, f), join(dir, f));
  if (extra > 0) writeFileSync(join(dir, '0900-bench_rules.xml'), syntheticRules(extra));
  const { rules, micros } = await evaluateMicros(dir, events);
  console.log(`evaluate, ${String(rules).padStart(4)} rules          ${micros.toFixed(2)} µs/event median`);
}
