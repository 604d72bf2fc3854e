// The per-node literal prefilter: where it is built, which children it filters, and that evaluation
// with it gives exactly the results (and correlation state) of evaluation without it.
import { describe, expect, it } from 'vitest';
import { type ByteString, toBytes } from '../bytes.js';
import { decodeCloudTrailRecord } from '../decoder/decode-cloudtrail.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import { generateTrail } from '../demo-data/generate-trail.js';
import { Prng } from '../demo-data/prng.js';
import { shippedRulesDir } from '../package-paths.js';
import { compileRuleset, readRuleFiles, type RuleFile } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { CheckContext } from './rule-definition.js';
import type { RuleNode } from './rule-tree.js';
import type { CompiledRuleset } from './ruleset.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';

function compile(files: readonly RuleFile[]): CompiledRuleset {
  const { ruleset, problems } = compileRuleset(files, { resolveList: () => undefined, mitre: shippedMitreCatalog() });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return ruleset;
}

const rule = (id: number, body: string, attrs = ''): string => `<rule id="${id}" level="3"${attrs}>${body}<description>r${id}</description></rule>`;
const compileRules = (rules: string): CompiledRuleset => compile([{ path: 'r.xml', text: toBytes(`${ROOT}<group name="t,">${rules}</group>`) }]);
const rootOf = (ruleset: CompiledRuleset): RuleNode => ruleset.tree.roots[0] as RuleNode;
/** Each child's group in the node's prefilter, −1 when it is not filtered. */
const groups = (node: RuleNode): number[] => node.children.map((c) => node.prefilter?.filtered.indexOf(c) ?? -1);
const ev = (o: unknown): DecodedEvent => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' });

/** `n` rules 100… each needing its own marker in the log. */
const markerRules = (n: number, body = (i: number) => `<match>[marker-${i}]</match>`): string =>
  Array.from({ length: n }, (_, i) => rule(100 + i, body(i))).join('');

describe('building the prefilter', () => {
  it('filters a node with 8 free-text children, in sibling order', () => {
    const root = rootOf(compileRules(markerRules(8)));
    expect(root.prefilter).toBeDefined();
    expect(groups(root)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves a node with 7 alone', () => {
    const root = rootOf(compileRules(markerRules(7)));
    expect(root.prefilter).toBeUndefined();
    expect(groups(root)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });

  it('always tries children without a usable literal', () => {
    const others = [
      rule(200, '<match negate="yes">marker-x</match>'),
      rule(201, '<match>!marker-x</match>'),
      rule(202, '<match type="pcre2">marker-x</match>'),
      rule(203, '<match>ab</match>'), // too short to be worth searching for
      rule(204, '<regex>\\w+</regex>'),
      rule(205, '<field name="f">^exact$</field>'), // served by the exact-value index
    ].join('');
    const root = rootOf(compileRules(markerRules(8) + others));
    expect(groups(root)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1, -1, -1]);
  });

  it('searches the source most children need literals in, here a field', () => {
    const rules = markerRules(8, (i) => `<field name="Msg">marker-${i}</field>`) + markerRules(3).replace(/id="10/g, 'id="20');
    const ruleset = compileRules(rules);
    expect(groups(rootOf(ruleset))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1]);
    const session = ruleset.newSession({ clock: 'event' });
    expect(session.evaluate(ev({ msg: 'x MARKER-6 y' }))?.id).toBe('106');
    // The log holds the marker but the field does not: the field rules fail, the match rule passes.
    expect(session.evaluate(ev({ other: '[marker-1]', msg: 'none' }))?.id).toBe('201');
    expect(session.evaluate(ev({ other: '[marker-6]' }))).toBeNull(); // no field: every field rule fails
  });
});

describe('evaluating with the prefilter', () => {
  const ruleset = compileRules(markerRules(12));

  it('finds the one child whose literal occurs, whatever its case', () => {
    const session = ruleset.newSession({ clock: 'event' });
    expect(session.evaluate(ev({ m: '[MARKER-9]' }))?.id).toBe('109');
    expect(session.evaluate(ev({ m: '[marker-1]' }))?.id).toBe('101');
    expect(session.evaluate(ev({ m: 'nothing' }))).toBeNull();
  });

  it('keeps sibling order when several literals occur', () => {
    expect(ruleset.newSession({ clock: 'event' }).evaluate(ev({ m: '[marker-11] [marker-3] [marker-10]' }))?.id).toBe('103');
  });

  it('still lists every child tried with explain', () => {
    const lines: string[] = [];
    ruleset.newSession({ clock: 'event' }).evaluate(ev({ m: '[marker-5]' }), { explain: (l) => lines.push(l) });
    expect(lines.filter((l) => l.includes('Trying rule: 1'))).toHaveLength(7); // root, 100 … 105
  });
});

/** Drops every node's prefilter and child index, for the reference evaluation: every child is tried. */
function withoutShortcuts(ruleset: CompiledRuleset): CompiledRuleset {
  const strip = (nodes: readonly RuleNode[]): void => {
    for (const node of nodes) {
      node.prefilter = undefined;
      node.index = undefined;
      node.unkeyed = node.children;
      strip(node.children);
    }
  };
  strip(ruleset.tree.roots);
  return ruleset;
}

/**
 * Pattern text safe in rule XML and free of `$NAME` variables, cut from the events' logs. Mostly
 * text found in few events, so that many different rules get to fire.
 */
function sampler(events: readonly DecodedEvent[], prng: Prng): (where?: 'start' | 'end') => ByteString {
  const probe = events.slice(0, 200).map((e) => e.log);
  return (where) => {
    for (;;) {
      const log = prng.pick(events).log;
      const length = where === undefined ? prng.int(4, 20) : prng.int(20, 70);
      const at = where === 'start' ? 0 : where === 'end' ? log.length - length : prng.int(0, log.length - length);
      const text = log.slice(at, at + length);
      if (!/^[A-Za-z0-9 .":,{}[\]_\-/@*+]+$/.test(text)) continue;
      if (probe.filter((l) => l.includes(text)).length <= 10 || prng.chance(0.02)) return text;
    }
  };
}

/** Flips the case of some ASCII letters: osmatch and osregex ignore it. */
const mangle = (text: ByteString, prng: Prng): ByteString =>
  Array.from(text, (c) => (prng.chance(0.3) ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');

/** An osregex version of `text`: some bytes become classes, the osregex metacharacters are escaped. */
function regexOf(text: ByteString, prng: Prng): ByteString {
  return Array.from(text, (c) => {
    if (/\d/.test(c) && prng.chance(0.5)) return prng.pick(['\\d', '\\d+', '\\w']);
    if (c === ' ' && prng.chance(0.5)) return '\\s';
    if (prng.chance(0.1)) return '\\.';
    return c === '(' || c === ')' ? `\\${c}` : c;
  }).join('');
}

/**
 * Rules under the CloudTrail gate (180000) and under one generated gate, mixing everything the
 * prefilter must respect: literals that occur or not, case, anchors, several pieces, `!`, negate,
 * non-ASCII pieces, osregex classes, pcre2, substring and exact fields, levels that reorder siblings,
 * noalert, ignore windows, and composites whose correlation must see the same events.
 */
function generatedRules(events: readonly DecodedEvent[]): string {
  const prng = new Prng(17);
  const sample = sampler(events, prng);
  const out: string[] = [`<rule id="190000" level="1" noalert="1"><if_sid>180000</if_sid><match>"eventVersion"</match><description>gate</description></rule>`];
  for (let id = 190001; id < 190400; id++) {
    const parent = id % 10 === 0 ? 190000 : 180000;
    const conditions = [
      () => `<match>${mangle(sample(), prng)}</match>`,
      () => `<match>${sample()}|${mangle(sample(), prng)}</match>`,
      () => `<match>^${sample('start')}|${sample()}</match>`,
      () => `<match>${sample('end')}$|^${sample()}$</match>`,
      () => `<match>"synthetic-marker-${id}"</match>`,
      () => `<match>${toBytes('é')}|${sample()}</match>`,
      () => `<regex>${regexOf(sample(), prng)}</regex>`,
      () => `<regex>${regexOf(sample(), prng)}|${regexOf(sample(), prng)}</regex>`,
      () => `<match type="pcre2">${sample().replace(/[.*+{}[\]]/g, '\\$&')}</match>`,
      () => `<field name="aws.eventName">${prng.pick(['Describe', 'List', 'Get\\w+', 'Instances', 'Bucket'])}</field>`,
      () => `<field name="aws.errorCode">${prng.pick(['Denied', 'Unauthorized', 'NoSuchKey'])}</field>`,
      // Exact values: children the index finds, to be merged in sibling order with the filtered ones.
      () => `<field name="aws.eventSource">^${prng.pick(events).fieldIndex.get('aws.eventsource') ?? 'none'}$</field>`,
    ];
    // Negated conditions pass almost always: only as a second condition, lest one rule take every event.
    const negated = [() => `<match negate="yes">${sample()}</match>`, () => `<match>!${sample()}</match>`, () => `<regex negate="yes">${sample()}</regex>`];
    let body = `<if_sid>${parent}</if_sid>${prng.pick(conditions)()}`;
    if (prng.chance(0.4)) body += prng.pick(prng.chance(0.5) ? negated : conditions)();
    // Many rules are transparent when they match (noalert), so that later siblings get tried too.
    let attrs = prng.chance(0.4) ? ' noalert="1"' : '';
    if (prng.chance(0.1)) attrs += ' ignore="600"';
    if (prng.chance(0.08)) {
      // A composite on an earlier generated rule: it attaches below that rule (§2.3).
      body = `<if_matched_sid>${prng.int(190001, id - 1)}</if_matched_sid><same_field>aws.userIdentity.arn</same_field>${prng.pick(conditions)()}`;
      attrs += ` frequency="2" timeframe="3600"`;
    }
    out.push(`<rule id="${id}" level="${prng.chance(0.05) ? 0 : prng.int(1, 12)}"${attrs}>${body}<description>g${id}</description></rule>`);
  }
  return `<group name="generated,">\n${out.join('\n')}\n</group>\n`;
}

/**
 * `rules` with every generated rule whose own conditions pass more than 5% of the first events made
 * noalert (transparent), so that no single rule takes most events and many rules get to decide.
 */
function tamed(shipped: readonly RuleFile[], rules: ByteString, events: readonly DecodedEvent[]): ByteString {
  const probe = events.slice(0, 300);
  const context: CheckContext = { timeOfDay: () => '00:00', weekDay: () => 0, checkDiff: () => false };
  let out = rules;
  for (const { id, def } of compile([...shipped, { path: '0900-generated.xml', text: rules }]).tree.rules.values()) {
    if (id <= 190000 || probe.filter((e) => def.checks.every((check) => check(e, context))).length <= probe.length / 20) continue;
    out = out.replace(new RegExp(`(<rule id="${id}" level="\\d+")(?: noalert="1")?`), '$1 noalert="1"');
  }
  return out;
}

describe('equivalence with evaluation that tries every child', () => {
  it('gives identical results, correlation state and order sensitivity over varied CloudTrail events', async () => {
    const records: Record<string, unknown>[] = [];
    const trail = generateTrail({ seed: 11, events: 3000, accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], start: new Date('2026-01-01T00:00:00Z') });
    for (const file of trail) {
      if (file.kind === 'log') records.push(...(JSON.parse(file.body.toString('utf8')) as { Records: Record<string, unknown>[] }).Records);
    }
    const events = records.map((r) => decodeCloudTrailRecord(r, { bucket: 'b', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz' }));
    const shipped = await readRuleFiles([shippedRulesDir]);
    const files = [...shipped, { path: '0900-generated.xml', text: tamed(shipped, generatedRules(events), events) }];
    const filtered = compile(files);
    const reference = withoutShortcuts(compile(files));

    // The comparison means something: the gate's children are mostly filtered.
    const gate = rootOf(filtered).children.find((c) => c.state.id === 180000) as RuleNode;
    expect(gate.prefilter).toBeDefined();
    expect(gate.prefilter?.filtered.length).toBeGreaterThan(150);

    const a = filtered.newSession({ clock: 'event' });
    const b = reference.newSession({ clock: 'event' });
    const mismatches: string[] = [];
    const fired = new Set<string>();
    events.forEach((event, i) => {
      const [x, y] = [JSON.stringify(a.evaluate(event)), JSON.stringify(b.evaluate(event))];
      if (x !== y) mismatches.push(`event ${i}: ${x} ≠ ${y}`);
      if (filtered.isOrderSensitive(event) !== reference.isOrderSensitive(event)) mismatches.push(`event ${i}: order sensitivity differs`);
      const id = (JSON.parse(x) as { id?: string } | null)?.id;
      if (id?.startsWith('190')) fired.add(id);
    });
    expect(events.length).toBeGreaterThan(2500);
    expect(mismatches).toEqual([]);
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(fired.size).toBeGreaterThan(50);
  });
});
