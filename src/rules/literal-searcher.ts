// Aho–Corasick search for many literals at once over byte strings, ignoring ASCII case only (§3.9):
// one pass over a value tells which groups of literals occur in it. Built once per tree node by
// literal-prefilter.ts; the automaton is a dense DFA over byte classes, in typed arrays.
import type { ByteString } from '../bytes.js';

const NONE = -1;
const ROOT = 0;
/** Values shorter than this are scanned as one stream: two would not pay for their set-up. */
const TWO_STREAM_MIN_LENGTH = 64;

/** Keeps the answer of its last search in typed arrays, so a search allocates nothing. */
export class LiteralSearcher {
  /**
   * Byte → input class: each byte used by some literal has its own class, A–Z share the class of
   * a–z (the only folding, as in osmatch/osregex), and every other byte is class 0. At most
   * 256 − 26 + 1 classes, so a byte array holds them.
   */
  readonly #classOf = new Uint8Array(256);
  readonly #width: number;
  /** The DFA: #next[state × #width + class] → state; failure links are folded in. */
  readonly #next: Int32Array;
  /** First state whose own literals a state reports: itself, its nearest suffix state that has some, or NONE. */
  readonly #emit: Int32Array;
  /** After a state's own literals, the next suffix state that has some, or NONE (the dictionary link). */
  readonly #outLink: Int32Array;
  /** The groups of the literals ending exactly at state s: #groups[#groupStart[s] … #groupStart[s + 1]). */
  readonly #groupStart: Int32Array;
  readonly #groups: Int32Array;
  readonly #groupCount: number;
  /** The longest literal's length − 1: how far back the second stream of a scan starts (see search). */
  readonly #overlap: number;
  /** Group g was found by the last search when #marks[g] === #stamp (no clearing between searches). */
  readonly #marks: Uint32Array;
  /** The groups the last search found, ascending: #found[0 … groupCount − #missing). */
  readonly #found: Int32Array;
  #stamp = 0;
  #missing = 0;

  /** `literals[i]` belongs to group `groupOf[i]` (0 … groupCount − 1). Literals must not be empty. */
  constructor(literals: readonly ByteString[], groupOf: readonly number[], groupCount: number) {
    let classes = 1;
    let longest = 1;
    for (const literal of literals) {
      if (literal === '') throw new Error('an empty literal occurs everywhere; it cannot be searched for');
      longest = Math.max(longest, literal.length);
      for (let i = 0; i < literal.length; i++) {
        const b = fold(literal.charCodeAt(i));
        if (this.#classOf[b] === 0) this.#classOf[b] = classes++;
      }
    }
    for (let b = 0x41; b <= 0x5a; b++) this.#classOf[b] = this.#classOf[b | 0x20] as number;
    const width = classes;
    this.#width = width;
    this.#groupCount = groupCount;
    this.#overlap = longest - 1;
    this.#marks = new Uint32Array(groupCount);
    this.#found = new Int32Array(groupCount);

    // The trie: state 0 is the root; each literal adds at most its length in states.
    const capacity = 1 + literals.reduce((n, l) => n + l.length, 0);
    const trie = new Int32Array(capacity * width).fill(NONE);
    const own: number[][] = [[]];
    literals.forEach((literal, index) => {
      let state = ROOT;
      for (let i = 0; i < literal.length; i++) {
        const at = state * width + (this.#classOf[literal.charCodeAt(i)] as number);
        if (trie[at] === NONE) {
          trie[at] = own.length;
          own.push([]);
        }
        state = trie[at] as number;
      }
      const group = groupOf[index] as number;
      const mine = own[state] as number[];
      if (!mine.includes(group)) mine.push(group);
    });
    const states = own.length;
    this.#next = trie.slice(0, states * width);
    this.#groupStart = new Int32Array(states + 1);
    own.forEach((groups, state) => {
      this.#groupStart[state + 1] = (this.#groupStart[state] as number) + groups.length;
    });
    this.#groups = Int32Array.from(own.flat());

    // Breadth first, so a state's failure state (strictly shallower) is complete before it is used.
    const next = this.#next;
    const fail = new Int32Array(states);
    this.#outLink = new Int32Array(states).fill(NONE);
    this.#emit = new Int32Array(states).fill(NONE);
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let c = 0; c < width; c++) {
      const child = next[c] as number;
      if (child === NONE) {
        next[c] = ROOT;
      } else {
        queue[tail++] = child;
        if (this.#hasOwn(child)) this.#emit[child] = child;
      }
    }
    while (head < tail) {
      const state = queue[head++] as number;
      for (let c = 0; c < width; c++) {
        const at = state * width + c;
        const child = next[at] as number;
        const viaFail = next[(fail[state] as number) * width + c] as number;
        if (child === NONE) {
          next[at] = viaFail;
          continue;
        }
        fail[child] = viaFail;
        this.#outLink[child] = this.#hasOwn(viaFail) ? viaFail : (this.#outLink[viaFail] as number);
        this.#emit[child] = this.#hasOwn(child) ? child : (this.#outLink[child] as number);
        queue[tail++] = child;
      }
    }
    // Encode each transition as (target row << 1) | (target reports something), so the scan needs
    // neither a multiplication nor a second lookup per byte.
    for (let at = 0; at < next.length; at++) {
      const target = next[at] as number;
      next[at] = ((target * width) << 1) | (this.#emit[target] === NONE ? 0 : 1);
    }
  }

  /** Searches `value`; `foundCount` and `foundGroup` then answer for it until the next search. */
  search(value: ByteString): void {
    if (++this.#stamp === 0xffffffff) {
      this.#marks.fill(0);
      this.#stamp = 1;
    }
    this.#missing = this.#groupCount;
    this.#scan(value);
    const count = this.foundCount();
    if (count > 1) sortAscending(this.#found, count);
  }

  #scan(value: ByteString): void {
    const classOf = this.#classOf;
    const next = this.#next;
    const emit = this.#emit;
    const width = this.#width;
    const length = value.length;
    const overlap = this.#overlap;
    let row = ROOT;
    let from = 0;
    if (length >= TWO_STREAM_MIN_LENGTH && length >= 4 * overlap) {
      // Each byte's step is a load that depends on the previous step's load, so one stream runs at
      // the latency of that chain. Two streams, over the two halves, are two independent chains that
      // the CPU overlaps. Stream A scans [0, split); stream B scans [split − overlap, length) from the
      // root: a literal ending at or after `split` starts at or after split − overlap, so B sees it
      // whole, and A sees every literal ending before `split`. This split gives both the same length
      // (B one byte more when length + overlap is odd).
      const split = (length + overlap) >> 1;
      const startB = split - overlap;
      let rowB = ROOT;
      for (let i = 0; i < split; i++) {
        const step = next[row + classOf[value.charCodeAt(i)]!]!;
        const stepB = next[rowB + classOf[value.charCodeAt(startB + i)]!]!;
        row = step >> 1;
        rowB = stepB >> 1;
        // Reporting a literal of the overlap twice is harmless: #report counts a group only once.
        if (((step | stepB) & 1) !== 0) {
          if ((step & 1) !== 0 && this.#report(emit[row / width]!) === 0) return;
          if ((stepB & 1) !== 0 && this.#report(emit[rowB / width]!) === 0) return;
        }
      }
      // A is done; B has at most one byte left, scanned below as the single stream.
      row = rowB;
      from = startB + split;
    }
    for (let i = from; i < length; i++) {
      const step = next[row + classOf[value.charCodeAt(i)]!]!;
      row = step >> 1;
      // Stop early once every group is found: the rest of the value cannot change the answer.
      if ((step & 1) !== 0 && this.#report(emit[row / width]!) === 0) return;
    }
  }

  /** How many groups the last search found. */
  foundCount(): number {
    return this.#groupCount - this.#missing;
  }

  /** The i-th group (0 … foundCount − 1) whose literal occurs in the last searched value, ascending. */
  foundGroup(i: number): number {
    return this.#found[i]!;
  }

  /** Marks the groups of `state` and of its dictionary suffixes; returns how many are still missing. */
  #report(state: number): number {
    const marks = this.#marks;
    const stamp = this.#stamp;
    for (let s = state; s !== NONE; s = this.#outLink[s]!) {
      for (let k = this.#groupStart[s]!; k < this.#groupStart[s + 1]!; k++) {
        const group = this.#groups[k]!;
        if (marks[group] !== stamp) {
          marks[group] = stamp;
          this.#found[this.#groupCount - this.#missing] = group;
          this.#missing--;
        }
      }
    }
    return this.#missing;
  }

  #hasOwn(state: number): boolean {
    return (this.#groupStart[state + 1] as number) > (this.#groupStart[state] as number);
  }
}

/** Sorts `list[0 … count)` in place: by insertion while few (the usual case), else natively. */
function sortAscending(list: Int32Array, count: number): void {
  if (count > 16) {
    list.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const g = list[i]!;
    let j = i - 1;
    for (; j >= 0 && list[j]! > g; j--) list[j + 1] = list[j]!;
    list[j + 1] = g;
  }
}

/** A–Z → a–z; every other byte is itself. */
const fold = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
