// Loads rule files into a CompiledRuleset (rule-language.md §1): collects `*.xml` from the given
// files and directories, orders them by base name (§1.2), checks the file structure (§1.3) and
// feeds each rule to the parser and the tree builder. Reading files is kept at the edges
// (readRuleFiles, listResolver); compileRuleset itself is pure.
import { readFileSync, statSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ByteString } from '../bytes.js';
import { RuleLoadError } from '../errors.js';
import { asciiLower } from './ascii-lower.js';
import { CdbList, listRelativePath } from './cdb-lists.js';
import type { Clock } from './clock.js';
import { type MitreCatalog, shippedMitreCatalog } from './mitre.js';
import { parseRule } from './parse-rule.js';
import { RuleTreeBuilder } from './rule-tree.js';
import { CompiledRuleset } from './ruleset.js';
import type { RuleProblem } from './types.js';
import { MAX_XML_BYTES, readXml, XmlReadError } from './xml-reader.js';

/** One rule file: its path (for messages) and its bytes as a latin1 string. */
export interface RuleFile {
  readonly path: string;
  readonly text: ByteString;
}

export interface CompileEnv {
  readonly resolveList: (text: string) => CdbList | undefined;
  readonly mitre: MitreCatalog;
  readonly wallClock?: Clock;
}

export interface CompileResult {
  readonly ruleset: CompiledRuleset;
  /** Every problem, fatal ones (`error`) included; the ruleset's `warnings` are the others. */
  readonly problems: readonly RuleProblem[];
}

export interface LoadRulesetOptions {
  /** Rule files and directories (a directory contributes its `*.xml` files). */
  readonly rules: readonly string[];
  /** Directory of CDB lists; a rule's `etc/lists/x/y` is read from `<listsDir>/x/y`. */
  readonly listsDir?: string | undefined;
  readonly wallClock?: Clock;
}

/** CDB list text files larger than this are treated as not loaded. */
const MAX_LIST_BYTES = 256 * 1024 * 1024;

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Expands directories to their `*.xml` files and sorts everything by base name, as Wazuh does (§1.2). */
export async function listRuleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (info === undefined) throw new RuleLoadError('rules_not_found', `Rule file or directory not found: ${p}`, { path: p });
    if (info.isDirectory()) {
      const names = (await readdir(p, { withFileTypes: true })).filter((d) => d.isFile() && d.name.endsWith('.xml')).map((d) => d.name);
      files.push(...names.map((n) => path.join(p, n)));
    } else {
      files.push(p);
    }
  }
  const unique = [...new Map(files.map((f) => [path.resolve(f), f])).values()];
  // Array#sort is stable: equal base names keep the order they were given in.
  return unique.sort((a, b) => byteOrder(path.basename(a), path.basename(b)));
}

/** Reads the files in load order; at most one byte past the size limit, so readXml can refuse them. */
export async function readRuleFiles(paths: readonly string[]): Promise<RuleFile[]> {
  const out: RuleFile[] = [];
  for (const file of await listRuleFiles(paths)) {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min((await handle.stat()).size, MAX_XML_BYTES + 1));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      out.push({ path: file, text: buffer.subarray(0, bytesRead).toString('latin1') });
    } finally {
      await handle.close();
    }
  }
  return out;
}

/** Resolves `<list>` texts against `--lists DIR` (read on first use, cached). */
export function listResolver(dir: string | undefined): (text: string) => CdbList | undefined {
  const cache = new Map<string, CdbList | undefined>();
  return (text) => {
    if (dir === undefined) return undefined;
    const root = path.resolve(dir);
    const file = path.resolve(root, listRelativePath(text));
    // A rule cannot make us read outside the lists directory.
    if (!file.startsWith(root + path.sep)) return undefined;
    if (!cache.has(file)) {
      let list: CdbList | undefined;
      try {
        if (statSync(file).size <= MAX_LIST_BYTES) list = CdbList.parse(readFileSync(file).toString('latin1'));
      } catch {
        list = undefined;
      }
      cache.set(file, list);
    }
    return cache.get(file);
  };
}

/** Compiles rule files (already in load order) into a ruleset, collecting every problem. */
export function compileRuleset(files: readonly RuleFile[], env: CompileEnv): CompileResult {
  const builder = new RuleTreeBuilder();
  const problems: RuleProblem[] = [];
  const error = (file: string, line: number, message: string): void => {
    problems.push({ severity: 'error', file, line, message });
  };
  const parseEnv = { isLoaded: (id: number) => builder.isLoaded(id), resolveList: env.resolveList, mitre: env.mitre };
  for (const file of files) {
    let roots;
    try {
      roots = readXml(file.text);
    } catch (err) {
      if (!(err instanceof XmlReadError)) throw err;
      error(file.path, err.line, err.message);
      continue;
    }
    // §1.3: only `<group name="…">` at the top; checked for the whole file before any rule loads.
    const bad = roots.filter((g) => asciiLower(g.name) !== 'group' || g.attributes.length !== 1 || asciiLower(g.attributes[0]?.name ?? '') !== 'name');
    for (const g of bad) error(file.path, g.line, `Invalid root element <${g.name}>: only <group name="..."> is allowed.`);
    if (roots.length === 0 && file.text.trim() !== '') error(file.path, 1, 'No <group> element in the file.');
    if (bad.length > 0) continue;
    for (const group of roots) {
      const groupName = group.attributes[0]?.value ?? '';
      if (group.children.length === 0) error(file.path, group.line, `Group "${groupName}" without any rule.`);
      for (const el of group.children) {
        if (asciiLower(el.name) !== 'rule') {
          error(file.path, el.line, `Invalid element <${el.name}> in a group: only <rule> is allowed.`);
          continue;
        }
        const parsed = parseRule(el, groupName, file.path, parseEnv);
        problems.push(...parsed.problems);
        if (parsed.outcome === 'loaded') problems.push(...builder.add(parsed.def));
      }
    }
  }
  const warnings = problems.filter((p) => p.severity === 'warning');
  return { ruleset: new CompiledRuleset(builder.build(), warnings, env.wallClock), problems };
}

/** `file:line (rule N): message`, the form RuleLoadError lists problems in. */
export function formatLoadProblem(p: RuleProblem): string {
  return `${p.file}:${p.line}${p.ruleId !== undefined ? ` (rule ${p.ruleId})` : ''}: ${p.message}`;
}

/**
 * Reads, compiles and returns the ruleset; throws RuleLoadError listing every fatal problem
 * (rule-language.md §1.7), as wazuh-analysisd refuses to start on any of them.
 */
export async function loadRuleset(options: LoadRulesetOptions): Promise<CompiledRuleset> {
  const files = await readRuleFiles(options.rules);
  const { ruleset, problems } = compileRuleset(files, {
    resolveList: listResolver(options.listsDir),
    mitre: shippedMitreCatalog(),
    ...(options.wallClock !== undefined ? { wallClock: options.wallClock } : {}),
  });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new RuleLoadError('rules_invalid', `The rules cannot be loaded (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${errors.map(formatLoadProblem).join('\n')}`, {
      errors: errors.length,
    });
  }
  return ruleset;
}
