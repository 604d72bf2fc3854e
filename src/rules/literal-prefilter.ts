// The per-node literal prefilter: one Aho–Corasick pass over the value that most of a node's unkeyed
// children require a literal in (usually `log`) tells which of them can pass at all, so a node with
// hundreds of free-text children visits only those whose literal occurs (rule-language.md §2.4),
// not each of them to ask.
import type { ByteString } from '../bytes.js';
import type { DecodedEvent } from '../decoder/types.js';
import { LiteralSearcher } from './literal-searcher.js';
import type { LiteralRequirement, LiteralSource } from './rule-definition.js';
import type { RuleNode } from './rule-tree.js';

/** Fewer filterable children are cheaper to test one by one than to search for. */
const MIN_FILTERED_CHILDREN = 8;
/**
 * A literal shorter than this occurs in nearly every log, so requiring it filters nothing and only
 * slows the search down (reporting on almost every byte); such a requirement is not used.
 */
const MIN_LITERAL_LENGTH = 3;

/**
 * Holds the result of the last search, so it is scratch state inside the shared tree: safe because
 * evaluation is synchronous and visits each node at most once per event, reading a node's results
 * before its searcher runs again.
 */
export class LiteralPrefilter {
  /** The unkeyed children tried whatever the search finds, in sibling order. */
  readonly plain: readonly RuleNode[];
  /** The filtered children by group: groups follow sibling order, so ascending groups are in sibling order. */
  readonly filtered: readonly RuleNode[];
  /** Sibling position of the first filtered child: the walk searches only once it gets there. */
  readonly firstPosition: number;
  readonly #field: string | undefined;
  readonly #searcher: LiteralSearcher;

  constructor(source: LiteralSource, searcher: LiteralSearcher, plain: readonly RuleNode[], filtered: readonly RuleNode[]) {
    this.#field = source === 'log' ? undefined : source.slice('field:'.length);
    this.#searcher = searcher;
    this.plain = plain;
    this.filtered = filtered;
    this.firstPosition = (filtered[0] as RuleNode).position;
  }

  /** Searches the event's value once; `foundCount`/`foundNode` then answer for this event. */
  search(event: DecodedEvent): void {
    // §3.1: an absent field fails every condition on it; '' holds no literal, so nothing is found.
    this.#searcher.search(this.#field === undefined ? event.log : (event.fieldIndex.get(this.#field) ?? ''));
  }

  /** How many filtered children can pass for the searched event. */
  foundCount(): number {
    return this.#searcher.foundCount();
  }

  /** The i-th of them, in sibling order. */
  foundNode(i: number): RuleNode {
    return this.filtered[this.#searcher.foundGroup(i)] as RuleNode;
  }
}

/**
 * Picks the source most of `children` (a node's unkeyed children) require literals in, gives each of
 * those children a group and builds the searcher. Undefined when too few children would be
 * filtered. A child with several requirements on the source uses the one whose shortest literal is
 * longest, the most selective guess.
 */
export function buildPrefilter(children: readonly RuleNode[]): LiteralPrefilter | undefined {
  const usable = children.map((child) =>
    child.state.def.literalRequirements.filter((r) => r.literals.every((literal) => literal.length >= MIN_LITERAL_LENGTH)),
  );
  const counts = new Map<LiteralSource, number>();
  for (const requirements of usable) {
    for (const source of new Set(requirements.map((r) => r.source))) counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  let source: LiteralSource | undefined;
  let bestCount = MIN_FILTERED_CHILDREN - 1;
  for (const [s, count] of counts) {
    if (count > bestCount) [source, bestCount] = [s, count];
  }
  if (source === undefined) return undefined;
  const shortest = (r: LiteralRequirement): number => Math.min(...r.literals.map((l) => l.length));
  const literals: ByteString[] = [];
  const groupOf: number[] = [];
  const plain: RuleNode[] = [];
  const filtered: RuleNode[] = [];
  children.forEach((child, i) => {
    const chosen = (usable[i] as LiteralRequirement[])
      .filter((r) => r.source === source)
      .reduce<LiteralRequirement | undefined>((best, r) => (best === undefined || shortest(r) > shortest(best) ? r : best), undefined);
    if (chosen === undefined) {
      plain.push(child);
      return;
    }
    // A requirement without literals (a pattern that matches nothing) gets a group never found.
    for (const literal of chosen.literals) {
      literals.push(literal);
      groupOf.push(filtered.length);
    }
    filtered.push(child);
  });
  return new LiteralPrefilter(source, new LiteralSearcher(literals, groupOf, filtered.length), plain, filtered);
}
