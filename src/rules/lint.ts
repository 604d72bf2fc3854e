// `ctindex rules lint`: every problem the loader finds (fatal ones as errors, skipped rules and
// ignored options as warnings), plus checks Wazuh does not make: if_sid/if_matched_sid cycles and
// parents defined after their children (rule-language.md §2.3: only loaded rules can be parents).
import { asciiLower } from './ascii-lower.js';
import { compileRuleset, listResolver, type RuleFile, readRuleFiles } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { RuleProblem } from './types.js';
import { readXml, XmlReadError } from './xml-reader.js';

export interface LintOptions {
  readonly rules: readonly string[];
  readonly listsDir?: string | undefined;
}

export interface LintResult {
  /** In file order, then by line. */
  readonly problems: readonly RuleProblem[];
  readonly errors: number;
  readonly warnings: number;
}

/** Where a rule is declared and which rules it names as parents. */
interface Declaration {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  /** Position in load order. */
  readonly order: number;
  readonly parents: readonly string[];
}

/** `file:line: rule N: message`. */
export function formatLintProblem(p: RuleProblem): string {
  return `${p.file}:${p.line}: ${p.ruleId !== undefined ? `rule ${p.ruleId}: ` : ''}${p.severity}: ${p.message}`;
}

/** Rule ids and parent references as written, from files that parse (the loader reports the rest). */
function declarations(files: readonly RuleFile[]): Declaration[] {
  const out: Declaration[] = [];
  for (const file of files) {
    let roots;
    try {
      roots = readXml(file.text);
    } catch (err) {
      if (err instanceof XmlReadError) continue;
      throw err;
    }
    for (const group of roots) {
      for (const rule of group.children) {
        const id = rule.attributes.find((a) => asciiLower(a.name) === 'id')?.value;
        if (id === undefined || !/^[0-9]+$/.test(id)) continue;
        const parents: string[] = [];
        for (const opt of rule.children) {
          const name = asciiLower(opt.name);
          if (name === 'if_sid' || name === 'if_matched_sid') parents.push(...(opt.text.match(/[0-9]+/g) ?? []).map((x) => String(Number(x))));
        }
        out.push({ id: String(Number(id)), file: file.path, line: rule.line, order: out.length, parents });
      }
    }
  }
  return out;
}

/** Cycles among parent references, each reported once at its first declaration. */
function cycleProblems(decls: readonly Declaration[]): RuleProblem[] {
  const byId = new Map<string, Declaration>();
  for (const d of decls) if (!byId.has(d.id)) byId.set(d.id, d);
  const problems: RuleProblem[] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (id: string): void => {
    const at = onPath.indexOf(id);
    if (at !== -1) {
      const cycle = [...onPath.slice(at), id];
      const first = byId.get(id) as Declaration;
      problems.push({ severity: 'error', file: first.file, line: first.line, ruleId: id, message: `Parent cycle: ${cycle.join(' → ')}; none of these rules can load.` });
      return;
    }
    if (done.has(id)) return;
    const d = byId.get(id);
    if (d === undefined) return;
    onPath.push(id);
    for (const parent of d.parents) visit(parent);
    onPath.pop();
    done.add(id);
  };
  for (const d of decls) visit(d.id);
  return problems;
}

/** Parents that exist but load after the child (the child is then skipped, or misses that parent). */
function orderProblems(decls: readonly Declaration[]): RuleProblem[] {
  const first = new Map<string, Declaration>();
  for (const d of decls) if (!first.has(d.id)) first.set(d.id, d);
  const problems: RuleProblem[] = [];
  for (const d of decls) {
    for (const parent of d.parents) {
      const p = first.get(parent);
      if (p !== undefined && p.order > d.order && parent !== d.id) {
        problems.push({
          severity: 'warning',
          file: d.file,
          line: d.line,
          ruleId: d.id,
          message: `Parent ${parent} is defined later (${p.file}:${p.line}); parents must be loaded first.`,
        });
      }
    }
  }
  return problems;
}

export async function lintRules(options: LintOptions): Promise<LintResult> {
  const files = await readRuleFiles(options.rules);
  const { problems } = compileRuleset(files, { resolveList: listResolver(options.listsDir), mitre: shippedMitreCatalog() });
  const decls = declarations(files);
  const fileOrder = new Map(files.map((f, i) => [f.path, i]));
  const all = [...problems, ...cycleProblems(decls), ...orderProblems(decls)].sort(
    (a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line,
  );
  const errors = all.filter((p) => p.severity === 'error').length;
  return { problems: all, errors, warnings: all.length - errors };
}
