// The shipped ruleset (`rules/*.xml`) against one or more realistic CloudTrail records per rule
// (`test/fixtures/rule-events/<rule id>.json`, plus `no-alert.json` for events that must raise
// nothing). Each case runs in a fresh session on the event clock, like one wazuh-logtest run
// (rule-language.md §10): every record of the case goes through the session in order and only the
// last result is compared. Expected groups follow the §9 split of the rule's group string.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCloudTrailRecord } from '../../src/decoder/decode-cloudtrail.js';
import { formatLintProblem, lintRules } from '../../src/rules/lint.js';
import { loadRuleset } from '../../src/rules/load-rules.js';
import type { RuleMatch, Ruleset } from '../../src/rules/types.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULES_DIR = path.join(REPO, 'rules');
const FIXTURES_DIR = path.join(REPO, 'test/fixtures/rule-events');
const ORIGIN = { bucket: 'test', key: 'test' } as const;

const COMPLIANCE = ['pci_dss', 'gdpr', 'hipaa', 'nist_800_53', 'tsc'] as const;

interface Expectation {
  readonly id: string;
  readonly level: number;
  readonly description?: string;
  readonly groups: readonly string[];
  readonly pci_dss?: readonly string[];
  readonly gdpr?: readonly string[];
  readonly hipaa?: readonly string[];
  readonly nist_800_53?: readonly string[];
  readonly tsc?: readonly string[];
  /** ATT&CK ids of the rule's <mitre> blocks; the engine emits them only if its catalogue knows one. */
  readonly mitre?: readonly string[];
}

interface RuleCase {
  readonly file: string;
  readonly name: string;
  readonly events: ReadonlyArray<Record<string, unknown>>;
  /** The final rule of the last event, or null when it must resolve to no rule at all. */
  readonly expect: Expectation | null;
}

function loadCases(): RuleCase[] {
  const cases: RuleCase[] = [];
  for (const file of readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const parsed: unknown = JSON.parse(readFileSync(path.join(FIXTURES_DIR, file), 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`${file}: expected an array of cases`);
    for (const c of parsed as Array<Omit<RuleCase, 'file'>>) cases.push({ file, ...c });
  }
  return cases;
}

/** What a rule file says about each rule, read with plain regexes (the XML is ours and regular). */
interface RuleDecl {
  readonly id: string;
  readonly file: string;
  readonly noalert: boolean;
  /** Parents by id (if_sid, else if_matched_sid, else the root rule 1); empty for roots. */
  readonly parents: readonly string[];
}

function readRuleDecls(): RuleDecl[] {
  const decls: RuleDecl[] = [];
  for (const file of ruleFiles()) {
    const text = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of text.matchAll(/<rule\s([^>]*)>([\s\S]*?)<\/rule>/g)) {
      const attrs = m[1] ?? '';
      const body = m[2] ?? '';
      const id = /\bid="(\d+)"/.exec(attrs)?.[1];
      if (id === undefined) throw new Error(`${file}: rule without id`);
      const ifSid = /<if_sid>([^<]*)<\/if_sid>/.exec(body)?.[1];
      const ifMatchedSid = /<if_matched_sid>([^<]*)<\/if_matched_sid>/.exec(body)?.[1];
      const parentText = ifSid ?? ifMatchedSid;
      const parents =
        parentText !== undefined ? (parentText.match(/\d+/g) ?? []) : Number(id) < 10 || /<if_/.test(body) ? [] : ['1'];
      decls.push({ id, file: path.basename(file), noalert: /\bnoalert="1"/.test(attrs), parents });
    }
  }
  return decls;
}

function ruleFiles(): string[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => path.join(RULES_DIR, f));
}

/** The parts of a match that a fixture pins down; absent arrays compare as empty. */
function observed(match: RuleMatch | null, withDescription: boolean): Record<string, unknown> | null {
  if (match === null) return null;
  const out: Record<string, unknown> = { id: match.id, level: match.level, groups: [...match.groups] };
  if (withDescription) out['description'] = match.description;
  for (const key of COMPLIANCE) out[key] = [...(match[key] ?? [])];
  out['mitre'] = [...(match.mitre?.id ?? [])];
  return out;
}

function expected(exp: Expectation | null): Record<string, unknown> | null {
  if (exp === null) return null;
  const out: Record<string, unknown> = { id: exp.id, level: exp.level, groups: [...exp.groups] };
  if (exp.description !== undefined) out['description'] = exp.description;
  for (const key of COMPLIANCE) out[key] = [...(exp[key] ?? [])];
  out['mitre'] = [...(exp.mitre ?? [])];
  return out;
}

const cases = loadCases();
const decls = readRuleDecls();

describe('shipped ruleset', () => {
  let ruleset: Ruleset;

  beforeAll(async () => {
    ruleset = await loadRuleset({ rules: ruleFiles() });
  });

  it('loads every rule of rules/*.xml without warnings', () => {
    expect(ruleset.warnings).toEqual([]);
    expect(ruleset.ruleCount).toBe(decls.length);
  });

  it('passes `ctindex rules lint` without problems', async () => {
    const result = await lintRules({ rules: [RULES_DIR] });
    expect(result.problems.map(formatLintProblem)).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.expect?.id ?? 'no rule'}: ${c.name}`, c] as const))('%s', (_title, c) => {
    const session = ruleset.newSession({ clock: 'event' });
    let last: RuleMatch | null = null;
    for (const record of c.events) last = session.evaluate(decodeCloudTrailRecord(record, ORIGIN));
    expect(observed(last, c.expect?.description !== undefined)).toEqual(expected(c.expect));
  });
});

describe('rule fixtures', () => {
  it('holds only cases for the rule its file is named after', () => {
    const misplaced = cases
      .filter((c) => c.file !== `${c.expect?.id ?? 'no-alert'}.json`)
      .map((c) => `${c.file}: ${c.name}`);
    expect(misplaced).toEqual([]);
  });

  it('gives every rule in rules/*.xml at least one case', () => {
    // A noalert rule is never the final rule (rule-language.md §2.4): it is covered when some case
    // ends below it. Every other rule must be the expected final rule of some case.
    const byId = new Map(decls.map((d) => [d.id, d]));
    const finals = new Set(cases.flatMap((c) => (c.expect ? [c.expect.id] : [])));
    const reached = new Set<string>();
    const climb = (id: string): void => {
      if (reached.has(id)) return;
      reached.add(id);
      for (const parent of byId.get(id)?.parents ?? []) climb(parent);
    };
    for (const id of finals) climb(id);
    const uncovered = decls
      .filter((d) => !(d.noalert ? reached.has(d.id) : finals.has(d.id)))
      .map((d) => `${d.id} (${d.file})`);
    expect(uncovered).toEqual([]);
  });

  it('expects only rules that exist', () => {
    const ids = new Set(decls.map((d) => d.id));
    const unknown = cases.flatMap((c) => (c.expect && !ids.has(c.expect.id) ? [`${c.expect.id}: ${c.name}`] : []));
    expect(unknown).toEqual([]);
  });
});
