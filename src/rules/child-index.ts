// The exact-value index of a node's children (rule-language.md §2.4 only says which children are
// tried and in which order; which ones can be skipped is ours): children that require a field (or
// the decoder) to equal one of a few values are found by the event's value, the others are tried
// whatever it is. The walk (evaluate.ts) merges the two lists back into sibling order.
import type { ByteString } from '../bytes.js';
import type { DecodedEvent } from '../decoder/types.js';
import { asciiLower } from './ascii-lower.js';
import type { RuleNode } from './rule-tree.js';

export interface ChildIndex {
  readonly key: { readonly kind: 'decoder' } | { readonly kind: 'field'; readonly name: string };
  /** Keyed children by the value as written in a rule (a fast exact hit), in sibling order. */
  readonly byWritten: ReadonlyMap<ByteString, readonly RuleNode[]>;
  /** Keyed children by ASCII-lower-cased value (decoder names are not folded), in sibling order. */
  readonly byValue: ReadonlyMap<ByteString, readonly RuleNode[]>;
}

/** How a node's children are tried: `unkeyed` always (in sibling order), plus the index's pick. */
export interface ChildSelection {
  readonly index: ChildIndex | undefined;
  readonly unkeyed: readonly RuleNode[];
}

/** Children with fewer siblings are simply walked. */
const MIN_INDEXED_CHILDREN = 4;

const NONE: readonly RuleNode[] = [];

/**
 * Picks the requirement key most children share and maps each value to the children that require
 * it; children without a requirement on the key are `unkeyed`. Children that can never match a
 * decoded JSON event are left out of both. Without an index every child is unkeyed.
 */
export function selectChildren(children: readonly RuleNode[]): ChildSelection {
  if (children.length < MIN_INDEXED_CHILDREN) return { index: undefined, unkeyed: children };
  const counts = new Map<string, number>();
  for (const child of children) {
    for (const key of new Set(child.state.def.requirements.map((r) => r.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let key: string | undefined;
  let bestCount = 1;
  for (const [k, count] of counts) {
    if (count > bestCount) [key, bestCount] = [k, count];
  }
  if (key === undefined) return { index: undefined, unkeyed: children };
  const fold = key === 'decoder' ? (v: ByteString): ByteString => v : asciiLower;
  const live = children.filter((child) => !child.state.def.neverMatches);
  // Per child: the values it accepts for `key` (all its requirements on it must hold), or undefined = any.
  const accepted = new Map<RuleNode, Set<ByteString>>();
  for (const child of live) {
    for (const r of child.state.def.requirements) {
      if (r.key !== key) continue;
      const mine = new Set(r.values.map(fold));
      const before = accepted.get(child);
      accepted.set(child, before === undefined ? mine : new Set([...before].filter((v) => mine.has(v))));
    }
  }
  const byValue = new Map<ByteString, readonly RuleNode[]>();
  const byWritten = new Map<ByteString, readonly RuleNode[]>();
  for (const child of live) {
    for (const r of child.state.def.requirements) {
      if (r.key !== key) continue;
      for (const written of r.values) {
        const v = fold(written);
        if (!byValue.has(v)) byValue.set(v, live.filter((c) => accepted.get(c)?.has(v) === true));
        byWritten.set(written, byValue.get(v) as readonly RuleNode[]);
      }
    }
  }
  return {
    index: { key: key === 'decoder' ? { kind: 'decoder' } : { kind: 'field', name: key.slice('field:'.length) }, byWritten, byValue },
    unkeyed: live.filter((child) => !accepted.has(child)),
  };
}

/**
 * The last value lower-cased on an index miss, and its result: one event's value (its eventName)
 * is looked up at several nodes, and lower-casing it anew at each one allocated a string per node.
 */
let lastValue: string | undefined;
let lastLower = '';

/** The keyed children that accept the event's value, in sibling order (empty when none). */
export function keyedChildren(index: ChildIndex, event: DecodedEvent): readonly RuleNode[] {
  const value = index.key.kind === 'decoder' ? event.decoder : event.fieldIndex.get(index.key.name);
  if (value === undefined) return NONE;
  const exact = index.byWritten.get(value);
  if (exact !== undefined) return exact;
  if (index.key.kind === 'decoder') return index.byValue.get(value) ?? NONE;
  if (value !== lastValue) {
    lastValue = value;
    lastLower = asciiLower(value);
  }
  return index.byValue.get(lastLower) ?? NONE;
}
