// Builds the rule tree exactly as analysisd does while loading (rule-language.md §1.6, §2.1–§2.3,
// §5.1; rules_list.c): roots, if_sid/if_level/if_group/category attachment, sibling order by
// internal level, overwrite in place, and the correlation lists each rule reads or feeds. Then it
// indexes every node's children (exact values, required literals) so an event only tries the
// siblings that can match it.
import type { ByteString } from '../bytes.js';
import { type ChildIndex, selectChildren } from './child-index.js';
import { buildPrefilter, type LiteralPrefilter } from './literal-prefilter.js';
import { compileWordMatch } from './patterns/word-match.js';
import type { Category, CorrelationSlot, RuleDefinition } from './rule-definition.js';
import type { RuleProblem } from './types.js';

/** How a composite finds earlier events (§5.1, §5.2). */
export type CorrelationSearch =
  | { readonly kind: 'sid'; readonly list: number }
  | { readonly kind: 'group'; readonly list: number }
  | { readonly kind: 'events' };

/** One rule (Wazuh's RuleInfo), shared by all of its places in the tree. */
export interface RuleState {
  readonly id: number;
  /** Replaced wholesale by `overwrite="yes"` (§1.6). */
  def: RuleDefinition;
  /** Takes the parent's category when attached by if_sid (§2.3); replaced by an overwrite. */
  category: Category;
  /** Wired once, when the rule is first added; an overwrite keeps it (§1.6). */
  search: CorrelationSearch | undefined;
  /** The sid list this rule fills, when some composite names it in if_matched_sid. */
  ownList: number | undefined;
  /** The group lists this rule feeds, one entry per matching place (duplicates kept, as in Wazuh). */
  readonly feeds: number[];
}

/** One place of a rule in the tree. */
export interface RuleNode {
  readonly state: RuleState;
  /** Sibling order (§2.3): internal level descending, then load order. */
  readonly children: RuleNode[];
  /** Its index among its siblings; the walk merges candidate lists by it. */
  position: number;
  index: ChildIndex | undefined;
  /** The children tried whatever the index says, in sibling order (child-index.ts). */
  unkeyed: readonly RuleNode[];
  /** Skips the unkeyed children whose required literal is absent from the event (literal-prefilter.ts). */
  prefilter: LiteralPrefilter | undefined;
}

export interface RuleTree {
  readonly roots: readonly RuleNode[];
  readonly rules: ReadonlyMap<number, RuleState>;
  /** Correlation list keys by index: `sid:<rule id>` or `grp:<composite id>` (stable across runs). */
  readonly lists: readonly string[];
  /** Lower-cased dynamic field names some same_/different_field compares. */
  readonly correlationFields: ReadonlySet<string>;
  readonly correlationSlots: ReadonlySet<CorrelationSlot>;
  /** Some composite tests `if_matched_regex` against stored logs. */
  readonly keepsLogs: boolean;
  /** Some composite searches the global event list (`if_matched_regex`). */
  readonly searchesEvents: boolean;
  /** Largest `frequency − 2` of any rule (analysisd's `_max_freq`, used when memory is full). */
  readonly maxNeed: number;
}

export class RuleTreeBuilder {
  readonly #roots: RuleNode[] = [];
  readonly #rules = new Map<number, RuleState>();
  readonly #lists: string[] = [];
  #maxNeed = 0;

  isLoaded(id: number): boolean {
    return this.#rules.has(id);
  }

  /**
   * Adds (or, with overwrite, replaces) one parsed rule. Returns the warnings of a skipped rule or
   * of an overwrite that tried to change its parents.
   */
  add(def: RuleDefinition): RuleProblem[] {
    this.#maxNeed = Math.max(this.#maxNeed, def.need);
    const problems: RuleProblem[] = [];
    const warn = (message: string): void => {
      problems.push({ severity: 'warning', file: def.file, line: def.line, ruleId: String(def.id), message });
    };
    const existing = this.#rules.get(def.id);
    if (existing !== undefined && def.overwrite) {
      this.#overwrite(existing, def, warn);
      return problems;
    }
    if (def.ifMatchedSid !== undefined && !this.#rules.has(def.ifMatchedSid)) {
      warn(`Rule skipped: if_matched_sid ${def.ifMatchedSid} is not loaded.`);
      return problems;
    }
    const state: RuleState = { id: def.id, def, category: def.category, search: undefined, ownList: undefined, feeds: [] };
    if (!this.#attach(state, warn)) return problems;
    this.#rules.set(def.id, state);
    // As in rules.c, the lists are wired only once the rule has a place in the tree.
    state.search = this.#wireSearch(def);
    return problems;
  }

  build(): RuleTree {
    this.#walk((node) => {
      node.children.forEach((child, position) => {
        child.position = position;
      });
      const { index, unkeyed } = selectChildren(node.children);
      node.index = index;
      node.unkeyed = unkeyed;
      node.prefilter = buildPrefilter(unkeyed);
    });
    const correlationFields = new Set<string>();
    const correlationSlots = new Set<CorrelationSlot>();
    let keepsLogs = false;
    let searchesEvents = false;
    for (const state of this.#rules.values()) {
      const { same, different, ifMatchedRegex } = state.def;
      for (const f of [...same.fields, ...different.fields]) correlationFields.add(f);
      for (const s of [...same.slots, ...different.slots]) correlationSlots.add(s);
      if (state.search?.kind === 'events') {
        searchesEvents = true;
        if (ifMatchedRegex !== undefined) keepsLogs = true;
      }
    }
    return {
      roots: this.#roots,
      rules: this.#rules,
      lists: this.#lists,
      correlationFields,
      correlationSlots,
      keepsLogs,
      searchesEvents,
      maxNeed: this.#maxNeed,
    };
  }

  #newList(key: string): number {
    this.#lists.push(key);
    return this.#lists.length - 1;
  }

  /** rules.c: which search a new composite gets (if_matched_sid, else _group, else _regex). */
  #wireSearch(def: RuleDefinition): CorrelationSearch | undefined {
    if (def.ifMatchedSid !== undefined) {
      // OS_MarkID: the named rule fills one list that every composite naming it reads.
      const target = this.#rules.get(def.ifMatchedSid) as RuleState;
      target.ownList ??= this.#newList(`sid:${target.id}`);
      return { kind: 'sid', list: target.ownList };
    }
    if (def.ifMatchedGroup !== undefined) {
      // OS_MarkGroup: every place of every rule loaded so far (this one included) whose group
      // string matches feeds the composite's list; rules loaded later never do (§5.1).
      const list = this.#newList(`grp:${def.id}`);
      const matcher = def.ifMatchedGroup;
      this.#walk((node) => {
        if (matcher.test(node.state.def.groupString)) node.state.feeds.push(list);
      });
      return { kind: 'group', list };
    }
    // check_diff alone sets `context` but never searches.
    if (def.context && !def.checkDiff) return { kind: 'events' };
    return undefined;
  }

  /** §1.6: the rule keeps its places, children, lists and counters; parents cannot change. */
  #overwrite(state: RuleState, def: RuleDefinition, warn: (m: string) => void): void {
    const old = state.def;
    if (def.ifSid !== undefined && def.ifMatchedSid === undefined && def.ifSid !== old.ifSid) warn('overwrite cannot change if_sid; the original is kept.');
    if (def.ifGroup !== undefined && def.ifMatchedGroup === undefined && def.ifGroup !== old.ifGroup) warn('overwrite cannot change if_group; the original is kept.');
    if (def.ifLevel !== undefined && def.ifLevel !== old.ifLevel) warn('overwrite cannot change if_level; the original is kept.');
    if (def.ifMatchedSid !== undefined && def.ifMatchedSid !== old.ifMatchedSid) warn('overwrite cannot change if_matched_sid; the original is kept.');
    if (def.ifMatchedGroup !== undefined && old.ifMatchedGroup === undefined) warn('overwrite cannot change if_matched_group; the original is kept.');
    state.def = { ...def, ifSid: old.ifSid, ifGroup: old.ifGroup, ifLevel: old.ifLevel, ifMatchedSid: old.ifMatchedSid, ifMatchedGroup: old.ifMatchedGroup };
    state.category = def.category;
  }

  /** OS_AddChild (§2.3); false (with a warning) when the rule finds no place. */
  #attach(state: RuleState, warn: (m: string) => void): boolean {
    const def = state.def;
    if (def.id < 10) {
      insertSorted(this.#roots, state);
      return true;
    }
    if (def.ifSid !== undefined) return this.#attachBySid(state, def.ifSid, warn);
    if (def.ifLevel !== undefined) {
      const level = parseInt(def.ifLevel, 10) || 0;
      if (level === 0) {
        warn(`Rule skipped: invalid if_level "${def.ifLevel}".`);
        return false;
      }
      if (!this.#attachWhere(state, (n) => n.state.def.internalLevel >= level * 100 && n.state.id !== state.id)) {
        warn(`Rule skipped: no loaded rule has level ${level} or higher (if_level).`);
        return false;
      }
      return true;
    }
    if (def.ifGroup !== undefined) {
      const matcher = compileWordMatch(def.ifGroup);
      if (!this.#attachWhere(state, (n) => matcher.test(n.state.def.groupString) && n.state.id !== state.id)) {
        warn(`Rule skipped: no loaded rule is in group "${def.ifGroup}" (if_group).`);
        return false;
      }
      return true;
    }
    if (!this.#attachToCategoryRoot(state)) {
      warn(`Rule skipped: no root rule of category ${state.category} is loaded (rule 1 of 0010-rules_config.xml or rules/0010-ctindex_root.xml).`);
      return false;
    }
    return true;
  }

  /**
   * The if_sid loop of OS_AddChild, including its quirks: ids are digit runs split by `,`/space;
   * a trailing separator reads id 0, which attaches below the category root; any other byte stops
   * the loop (§1.7 has already rejected such texts, except a final newline).
   */
  #attachBySid(state: RuleState, ifSid: ByteString, warn: (m: string) => void): boolean {
    let idFound = false;
    let added = false;
    for (let i = 0; i <= ifSid.length; i++) {
      const c = ifSid[i];
      if (c === ',' || c === ' ') {
        idFound = false;
        continue;
      }
      if (c === undefined || (c >= '0' && c <= '9')) {
        if (idFound) continue;
        idFound = true;
        const sid = parseInt(ifSid.slice(i), 10) || 0;
        const ok = sid === 0 ? this.#attachToCategoryRoot(state) : this.#attachBelowSid(this.#roots, sid, state);
        if (ok) {
          added = true;
        } else if (state.def.ifMatchedSid !== undefined) {
          warn(`Rule skipped: if_sid ${sid} is not loaded.`);
          return false;
        } else {
          warn(`if_sid ${sid} is not loaded; the rule is attached to its other parents.`);
        }
        continue;
      }
      break;
    }
    if (!added) {
      warn(`Rule skipped: none of the if_sid rules (${ifSid.trim()}) is loaded.`);
      return false;
    }
    return true;
  }

  /** Within one sibling list the first node with the id takes the child and ends that list (§2.3). */
  #attachBelowSid(nodes: readonly RuleNode[], sid: number, state: RuleState): boolean {
    let added = false;
    for (const node of nodes) {
      if (node.state.id === sid) {
        state.category = node.state.category;
        insertSorted(node.children, state);
        return true;
      }
      if (node.children.length > 0 && this.#attachBelowSid(node.children, sid, state)) added = true;
    }
    return added;
  }

  /** if_level / if_group: every place of every matching rule gets the child. */
  #attachWhere(state: RuleState, matches: (node: RuleNode) => boolean): boolean {
    const visit = (nodes: readonly RuleNode[]): boolean => {
      let added = false;
      for (const node of nodes) {
        if (matches(node)) {
          insertSorted(node.children, state);
          added = true;
        }
        if (node.children.length > 0 && visit(node.children)) added = true;
      }
      return added;
    };
    return visit(this.#roots);
  }

  #attachToCategoryRoot(state: RuleState): boolean {
    const root = this.#roots.find((r) => r.state.category === state.category);
    if (root === undefined) return false;
    insertSorted(root.children, state);
    return true;
  }

  #walk(visit: (node: RuleNode) => void): void {
    const go = (nodes: readonly RuleNode[]): void => {
      for (const node of nodes) {
        visit(node);
        go(node.children);
      }
    };
    go(this.#roots);
  }
}

/** _OS_AddRule: insert before the first sibling with a strictly lower internal level. */
function insertSorted(siblings: RuleNode[], state: RuleState): void {
  const node: RuleNode = { state, children: [], position: 0, index: undefined, unkeyed: [], prefilter: undefined };
  const level = state.def.internalLevel;
  const at = siblings.findIndex((s) => level > s.state.def.internalLevel);
  if (at === -1) siblings.push(node);
  else siblings.splice(at, 0, node);
}
