// pcre2 (`type="pcre2"`): PCRE2 10.42 syntax compiled with no options, i.e. byte mode, case-sensitive,
// LF newline (rule-language.md §4.4), translated into an equivalent JS RegExp that runs on the
// byte-string view of the value. Constructs whose JS meaning would differ and that cannot be
// rewritten exactly are rejected with a PatternError instead of being approximated.
//
// Translation strategy: parse the pattern into a small tree, then emit JS source with no flags.
//  * Every single-byte item (literal, escape, class, `.`) becomes an explicit set of bytes. Caseless
//    mode (`(?i)` anywhere, `(?i:…)`, `(?-i)`) is applied to those sets by adding the other ASCII case
//    of each letter, exactly what PCRE2's default tables do. The JS `i` flag is never used: it would
//    also fold Latin-1 letters (0xC0–0xFE), which PCRE2 in byte mode does not.
//  * `$` also matches before a final `\n`; `\s`, `\w`, `\d`, `.`, `\h`, `\v`, `\R`, POSIX classes use
//    PCRE2's byte definitions; `(?s)` and `(?m)` are rewritten; `(?P<n>…)`, `(?<n>…)`, `(?'n'…)` become
//    numbered groups (names are resolved here, so JS never sees them).
//  * Atomic groups and possessive quantifiers are emulated with `(?=(…))\N`: a JS lookahead is atomic,
//    and the backreference then consumes exactly what it matched.
//  * The pattern arrives as the latin1 view of the rule's UTF-8 text, so a literal `é` is the two bytes
//    C3 A9, exactly as PCRE2 sees it in non-UTF mode (`[é]` is a class of two bytes).
// Rejected (PatternError): (?x) (?n) (?U) (?J), \p \P \X, recursion and subroutine calls,
// conditionals, branch reset, (*VERB)s, callouts, `{,n}` (its meaning changed in 10.43), and the
// backreference and empty-iteration cases described at requireSetBackreferences and
// requireSameEmptyIterations.
import type { ByteString } from '../../bytes.js';
import { byteSetSource } from './byte-regexp.js';
import { type Matcher, PatternError } from './matcher.js';

/** 256 flags: which bytes a single-byte item matches. */
type ByteSet = Uint8Array;

type Node =
  | { readonly kind: 'bytes'; readonly set: ByteSet }
  /** A zero-width assertion, already in JS syntax. */
  | { readonly kind: 'assert'; readonly source: string }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly branches: readonly Node[] }
  | { readonly kind: 'group'; readonly body: Node }
  | { readonly kind: 'capture'; readonly index: number; readonly body: Node }
  | { readonly kind: 'look'; readonly behind: boolean; readonly negate: boolean; readonly body: Node }
  | { readonly kind: 'atomic'; readonly body: Node }
  | { readonly kind: 'repeat'; readonly body: Node; readonly min: number; readonly max: number; readonly mode: RepeatMode; readonly offset: number }
  | { readonly kind: 'backref'; readonly index: number; readonly offset: number };

type RepeatMode = 'greedy' | 'lazy' | 'possessive';

interface Flags {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
}

export function compilePcre2(pattern: ByteString): Matcher {
  const tree = new Parser(pattern).parse();
  requireSetBackreferences(tree, new Set());
  requireSameEmptyIterations(tree, contains(tree, (node) => node.kind === 'backref'));
  return new RegExp(new Emitter().emit(tree));
}

// ---------------------------------------------------------------------------------------------------
// Byte sets (PCRE2 default "C" tables: only ASCII is classified; bytes ≥ 0x80 are in no class).

function setOf(member: (b: number) => boolean): ByteSet {
  const set = new Uint8Array(256);
  for (let b = 0; b < 256; b++) set[b] = member(b) ? 1 : 0;
  return set;
}
const complement = (set: ByteSet): ByteSet => setOf((b) => set[b] !== 1);
const inRange = (lo: string, hi: string) => (b: number): boolean => b >= lo.charCodeAt(0) && b <= hi.charCodeAt(0);
const oneOf = (bytes: string) => (b: number): boolean => bytes.includes(String.fromCharCode(b));

const isDigit = inRange('0', '9');
const isUpper = inRange('A', 'Z');
const isLower = inRange('a', 'z');
const isAlpha = (b: number): boolean => isUpper(b) || isLower(b);
const isAlnum = (b: number): boolean => isAlpha(b) || isDigit(b);
const isWord = (b: number): boolean => isAlnum(b) || b === 0x5f;
const isSpace = oneOf('\t\n\v\f\r '); // PCRE2 \s includes VT; JS \s would add 0xA0
const isGraph = inRange('!', '~');

const DIGIT = setOf(isDigit);
const WORD = setOf(isWord);
const SPACE = setOf(isSpace);
const HSPACE = setOf(oneOf('\t \xa0'));
const VSPACE = setOf(oneOf('\n\v\f\r\x85'));
const NOT_NEWLINE = setOf((b) => b !== 0x0a);
const ANY = setOf(() => true);

/** `\d \D \w \W \s \S \h \H \v \V`, valid inside and outside classes. */
const TYPE_ESCAPES: ReadonlyMap<string, ByteSet> = new Map([
  ['d', DIGIT], ['D', complement(DIGIT)],
  ['w', WORD], ['W', complement(WORD)],
  ['s', SPACE], ['S', complement(SPACE)],
  ['h', HSPACE], ['H', complement(HSPACE)],
  ['v', VSPACE], ['V', complement(VSPACE)],
]);

/** Single-character escapes (PCRE2 §"Non-printing characters"). */
const CHAR_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['a', 0x07], ['e', 0x1b], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09],
]);

const POSIX_CLASSES: ReadonlyMap<string, (b: number) => boolean> = new Map([
  ['alpha', isAlpha], ['digit', isDigit], ['alnum', isAlnum], ['space', isSpace],
  ['blank', oneOf(' \t')], ['cntrl', (b) => b < 0x20 || b === 0x7f], ['graph', isGraph],
  ['print', inRange(' ', '~')], ['punct', (b) => isGraph(b) && !isAlnum(b)], ['lower', isLower],
  ['upper', isUpper], ['xdigit', (b) => isDigit(b) || oneOf('abcdefABCDEF')(b)], ['word', isWord],
  ['ascii', (b) => b < 0x80],
]);

/** Adds the other ASCII case of every letter in `set` (PCRE2 caseless matching, default tables). */
function foldCase(set: ByteSet): void {
  for (let b = 0x41; b <= 0x5a; b++) {
    if (set[b] === 1 || set[b | 0x20] === 1) set[b] = set[b | 0x20] = 1;
  }
}

// ---------------------------------------------------------------------------------------------------
// Parser: PCRE2 10.42 pattern syntax → Node. Error offsets are 0-based byte positions.

const MAX_REPEAT = 65_535;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}/;
/** `[:name:]`, `[:^name:]`, and the unsupported `[.x.]`, `[=x=]`. */
const POSIX_SYNTAX = /^\[([:.=])(\^?)([A-Za-z]*)\1\]/;

class Parser {
  private pos = 0;
  private flags: Flags = { caseless: false, multiline: false, dotall: false };
  private captures = 0;
  /** Depth of lookaround nesting (for \K). */
  private lookarounds = 0;
  private readonly names = new Map<string, number>();

  constructor(private readonly src: ByteString) {}

  parse(): Node {
    const tree = this.parseAlternation();
    if (this.pos < this.src.length) throw this.error('unmatched closing parenthesis');
    return tree;
  }

  private error(message: string, at = this.pos): PatternError {
    return new PatternError(`pcre2: ${message} at byte ${at}`);
  }

  private peek(ahead = 0): string {
    return this.src[this.pos + ahead] ?? '';
  }

  private startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  private parseAlternation(): Node {
    const branches = [this.parseSequence()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseSequence());
    }
    return branches.length === 1 ? (branches[0] as Node) : { kind: 'alt', branches };
  }

  private parseSequence(): Node {
    const items: Node[] = [];
    // Whether a quantifier here has an item to repeat. Comments and `\E` leave it unchanged; option
    // settings and quantifiers clear it (PCRE2: "quantifier does not follow a repeatable item").
    let repeatable = false;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === '|' || c === ')') break;
      if (this.quantifierAhead()) {
        const last = items.pop();
        if (last === undefined || !repeatable) throw this.error('quantifier does not follow a repeatable item');
        items.push(this.parseQuantifier(last));
        repeatable = false;
      } else if (this.startsWith('\\Q')) {
        // \Q…\E: literal bytes; a following quantifier applies to the last one only.
        this.pos += 2;
        const end = this.src.indexOf('\\E', this.pos);
        const stop = end < 0 ? this.src.length : end;
        for (; this.pos < stop; this.pos++) {
          items.push(this.literal(this.src.charCodeAt(this.pos)));
          repeatable = true;
        }
        this.pos = end < 0 ? stop : stop + 2;
      } else if (this.startsWith('\\E')) {
        this.pos += 2; // a stray \E is ignored
      } else if (this.startsWith('(?#')) {
        const end = this.src.indexOf(')', this.pos);
        if (end < 0) throw this.error('missing ) at end of (?# comment');
        this.pos = end + 1;
      } else {
        const atom = this.parseAtom();
        if (atom !== undefined) items.push(atom);
        repeatable = atom !== undefined && atom.kind !== 'assert';
      }
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'seq', items };
  }

  /** Returns undefined for items that match nothing (option settings). */
  private parseAtom(): Node | undefined {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.parseGroup();
      case '[':
        if (POSIX_SYNTAX.test(this.src.slice(this.pos))) throw this.error('POSIX named classes are supported only within a class');
        this.pos++;
        return this.parseClass();
      case '\\':
        return this.parseEscape();
      case '.':
        this.pos++;
        return { kind: 'bytes', set: this.flags.dotall ? ANY : NOT_NEWLINE };
      case '^':
        this.pos++;
        // (?m): after any LF except one that ends the subject (PCRE2 multiline circumflex).
        return { kind: 'assert', source: this.flags.multiline ? '(?:^|(?<=\\n)(?=[\\x00-\\xff]))' : '^' };
      case '$':
        this.pos++;
        // §4.4: `$` also matches before a final LF; (?m): before any LF.
        return { kind: 'assert', source: this.flags.multiline ? '(?=\\n|$)' : '(?=\\n?$)' };
      default:
        this.pos++;
        return this.literal(c.charCodeAt(0));
    }
  }

  private literal(b: number): Node {
    const set = new Uint8Array(256);
    set[b] = 1;
    if (this.flags.caseless) foldCase(set);
    return { kind: 'bytes', set };
  }

  // --- quantifiers -------------------------------------------------------------------------------

  /** `*`, `+`, `?`, or a `{` that starts a valid {n}, {n,}, {n,m} (otherwise `{` is a literal). */
  private quantifierAhead(): boolean {
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') return true;
    if (c !== '{') return false;
    const rest = this.src.slice(this.pos);
    if (/^\{,\d+\}/.test(rest)) {
      // A literal in PCRE2 ≤ 10.42 but a quantifier from 10.43: refuse to guess.
      throw this.error('{,n} means different things across PCRE2 versions; write {0,n} or \\{');
    }
    return /^\{\d+(,\d*)?\}/.test(rest);
  }

  private parseQuantifier(body: Node): Node {
    const at = this.pos;
    let min: number;
    let max: number;
    const c = this.peek();
    this.pos++;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else {
      const close = this.src.indexOf('}', this.pos);
      const [low = '', high] = this.src.slice(this.pos, close).split(',');
      this.pos = close + 1;
      min = Number(low);
      max = high === undefined ? min : high === '' ? Infinity : Number(high);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw this.error('number too big in {} quantifier', at);
      if (max < min) throw this.error('numbers out of order in {} quantifier', at);
    }
    let mode: RepeatMode = 'greedy';
    if (this.peek() === '?') mode = 'lazy';
    else if (this.peek() === '+') mode = 'possessive';
    if (mode !== 'greedy') this.pos++;
    if (body.kind === 'look') {
      // PCRE2: a repeated assertion is obeyed once when min > 0, else it is optional ({0,n} = {0,1}).
      if (min > 0) return body;
      max = Math.min(max, 1);
    }
    return { kind: 'repeat', body, min, max, mode, offset: at };
  }

  // --- groups ------------------------------------------------------------------------------------

  private parseGroup(): Node | undefined {
    const at = this.pos;
    this.pos++; // (
    if (this.peek() === '*') throw this.error('(*VERB) and (*OPTION) items are not supported', at);
    if (this.peek() !== '?') return this.finishCapture(at);
    this.pos++; // ?
    const c = this.peek();
    const next = this.peek(1);
    if (c === ':') return this.finishGroup(1, (body) => ({ kind: 'group', body }));
    if (c === '>') return this.finishGroup(1, (body) => ({ kind: 'atomic', body }));
    if (c === '=' || c === '!' || (c === '<' && (next === '=' || next === '!'))) {
      const behind = c === '<';
      this.lookarounds++;
      return this.finishGroup(behind ? 2 : 1, (body) => {
        this.lookarounds--;
        if (behind) this.requireFixedLength(body, at);
        return { kind: 'look', behind, negate: (behind ? next : c) === '!', body };
      });
    }
    if (c === '<' || c === "'" || (c === 'P' && next === '<')) {
      this.pos += c === 'P' ? 2 : 1;
      return this.finishCapture(at, this.readName(c === "'" ? "'" : '>'));
    }
    if (c === 'P' && next === '=') {
      this.pos += 2;
      const name = this.readName(')');
      return this.namedBackref(name, at);
    }
    if (c === '|') throw this.error('branch reset groups (?| are not supported', at);
    if (c === '(') throw this.error('conditional groups are not supported', at);
    if (c === 'C') throw this.error('callouts are not supported', at);
    if (/^(?:R|&|P>|[+-]?\d)/.test(this.src.slice(this.pos))) {
      throw this.error('recursion and subroutine calls are not supported', at);
    }
    return this.parseOptions(at);
  }

  /** `(?imsx-imsx)` or `(?imsx-imsx:…)`, with `^` to reset; only i, m and s are supported. */
  private parseOptions(at: number): Node | undefined {
    const reset = this.peek() === '^';
    const flags = reset ? { caseless: false, multiline: false, dotall: false } : { ...this.flags };
    if (reset) this.pos++;
    let on = true;
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === ')') {
        this.flags = flags; // lasts to the end of the enclosing group, across `|` (PCRE2)
        return undefined;
      }
      if (c === ':') return { kind: 'group', body: this.parseGroupBody(at, flags) };
      if (c === '-' && on && !reset) on = false;
      else if (c === 'i') flags.caseless = on;
      else if (c === 'm') flags.multiline = on;
      else if (c === 's') flags.dotall = on;
      else if (c !== '' && 'xnUJ'.includes(c)) throw this.error(`option (?${c}) is not supported`, at);
      else throw this.error('unrecognized character after (? or (?-', this.pos - 1);
    }
  }

  private finishCapture(at: number, name?: string): Node {
    const index = ++this.captures;
    if (name !== undefined) {
      if (this.names.has(name)) throw this.error(`two named groups have the same name "${name}"`, at);
      this.names.set(name, index);
    }
    return { kind: 'capture', index, body: this.parseGroupBody(at) };
  }

  private finishGroup(skip: number, make: (body: Node) => Node): Node {
    const at = this.pos - 2;
    this.pos += skip;
    return make(this.parseGroupBody(at));
  }

  /** Parses up to and including the `)` with `flags`; option changes inside do not leak out. */
  private parseGroupBody(at: number, flags: Flags = this.flags): Node {
    const outer = this.flags;
    this.flags = { ...flags };
    const body = this.parseAlternation();
    this.flags = outer;
    if (this.peek() !== ')') throw this.error('missing closing parenthesis', at);
    this.pos++;
    return body;
  }

  private readName(terminator: string): string {
    const match = NAME.exec(this.src.slice(this.pos));
    if (match === null) throw this.error('group name must start with a letter or underscore');
    this.pos += match[0].length;
    if (this.peek() !== terminator) throw this.error(`syntax error in group name: expected ${terminator}`);
    this.pos++;
    return match[0];
  }

  /** PCRE2 ≤ 10.42: each top-level branch of a lookbehind must have a fixed length. */
  private requireFixedLength(body: Node, at: number): void {
    for (const branch of body.kind === 'alt' ? body.branches : [body]) {
      const [min, max] = width(branch);
      if (min !== max) throw this.error('lookbehind assertion is not fixed length', at);
    }
  }

  // --- escapes -----------------------------------------------------------------------------------

  private parseEscape(): Node | undefined {
    const at = this.pos;
    const c = this.peek(1);
    if (c === '') throw this.error('\\ at end of pattern');
    this.pos += 2;
    const type = TYPE_ESCAPES.get(c);
    if (type !== undefined) return { kind: 'bytes', set: type };
    switch (c) {
      case 'N':
        if (this.peek() === '{' && !this.quantifierAhead()) throw this.error('\\N{name} is not supported', at);
        return { kind: 'bytes', set: NOT_NEWLINE };
      case 'R': // any Unicode newline sequence, atomically (PCRE2 default BSR)
        return {
          kind: 'atomic',
          body: { kind: 'alt', branches: [{ kind: 'seq', items: [this.literal(0x0d), this.literal(0x0a)] }, { kind: 'bytes', set: VSPACE }] },
        };
      case 'b':
        return { kind: 'assert', source: '\\b' }; // JS \b without flags is ASCII, like PCRE2's
      case 'B':
        return { kind: 'assert', source: '\\B' };
      case 'A':
      case 'G': // Wazuh matches from offset 0, where \G is the start of the subject
        return { kind: 'assert', source: '^' };
      case 'Z':
        return { kind: 'assert', source: '(?=\\n?$)' };
      case 'z':
        return { kind: 'assert', source: '$' };
      case 'g':
        return this.parseGBackref(at);
      case 'k':
        return this.parseKBackref(at);
      case 'C': // one code unit: any byte in byte mode
        return { kind: 'bytes', set: ANY };
      case 'K': // resets the reported start, which a yes/no test never sees
        if (this.lookarounds > 0) throw this.error('\\K is not allowed in lookarounds', at);
        return { kind: 'assert', source: '' };
      case 'X':
      case 'p':
      case 'P':
        throw this.error(`\\${c} is not supported`, at);
      default:
        if (c >= '1' && c <= '9') return this.numberedEscape(at);
        return this.literal(this.charEscape(c, at));
    }
  }

  /** The byte of an escape valid in and out of classes: \a \e \f \n \r \t, octal, \o{}, \x, \c, `\` + punctuation. */
  private charEscape(c: string, at: number): number {
    const simple = CHAR_ESCAPES.get(c);
    if (simple !== undefined) return simple;
    if (c === '0') return this.readCode(/^[0-7]{0,2}/, 8, at);
    if (c === 'o') {
      if (this.peek() !== '{') throw this.error('missing opening brace after \\o', at);
      return this.readBraced(/^\{([0-7]+)\}/, 8, at);
    }
    if (c === 'x') return this.peek() === '{' ? this.readBraced(/^\{([0-9A-Fa-f]+)\}/, 16, at) : this.readCode(/^[0-9A-Fa-f]{0,2}/, 16, at);
    if (c === 'c') {
      const x = this.src.charCodeAt(this.pos);
      if (!(x >= 0x20 && x <= 0x7e)) throw this.error('\\c must be followed by a printable ASCII character', at);
      this.pos++;
      return (isLower(x) ? x - 0x20 : x) ^ 0x40; // upper-case, then flip bit 6
    }
    if (/[A-Za-z0-9]/.test(c)) throw this.error(`unrecognized escape \\${c}`, at);
    return c.charCodeAt(0); // escaped punctuation or byte ≥ 0x80: itself
  }

  private readCode(digits: RegExp, radix: number, at: number): number {
    const text = digits.exec(this.src.slice(this.pos))?.[0] ?? '';
    this.pos += text.length;
    return this.checkCode(text === '' ? 0 : parseInt(text, radix), at);
  }

  private readBraced(syntax: RegExp, radix: number, at: number): number {
    const match = syntax.exec(this.src.slice(this.pos));
    if (match === null) throw this.error('malformed braced escape', at);
    this.pos += match[0].length;
    return this.checkCode(parseInt(match[1] ?? '', radix), at);
  }

  private checkCode(code: number, at: number): number {
    if (code > 0xff) throw this.error('character code point value is too large for byte mode', at);
    return code;
  }

  /** `\1`–`\9…` outside a class: a backreference, or octal when ≥ 10 and not that many groups yet (PCRE2 rule). */
  private numberedEscape(at: number): Node {
    const digits = /^\d+/.exec(this.src.slice(at + 1))?.[0] ?? '';
    const number = Number(digits);
    if (number < 10 || /^[89]/.test(digits) || number <= this.captures) {
      this.pos = at + 1 + digits.length;
      return { kind: 'backref', index: this.checkBackref(number, at), offset: at };
    }
    this.pos = at + 1;
    return this.literal(this.readCode(/^[0-7]{1,3}/, 8, at));
  }

  /** \gN, \g{N}, \g{-N}, \g-N, \g{name}; \g<…> and \g'…' are subroutine calls. */
  private parseGBackref(at: number): Node {
    const match = /^(?:\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_]\w*)\})/.exec(this.src.slice(this.pos));
    if (match === null) throw this.error('\\g is not followed by a group number or braced name (subroutine calls are not supported)', at);
    this.pos += match[0].length;
    if (match[3] !== undefined) return this.namedBackref(match[3], at);
    const n = Number(match[1] ?? match[2]);
    return { kind: 'backref', index: this.checkBackref(n < 0 ? this.captures + 1 + n : n, at), offset: at };
  }

  /** \k<name>, \k'name', \k{name}. */
  private parseKBackref(at: number): Node {
    const close = { '<': '>', "'": "'", '{': '}' }[this.peek()];
    if (close === undefined) throw this.error('\\k is not followed by a braced, angle-bracketed, or quoted name', at);
    this.pos++;
    return this.namedBackref(this.readName(close), at);
  }

  private namedBackref(name: string, at: number): Node {
    const index = this.names.get(name);
    if (index === undefined) throw this.error(`backreference to "${name}", which is not a group defined before it`, at);
    return { kind: 'backref', index: this.checkBackref(index, at), offset: at };
  }

  private checkBackref(index: number, at: number): number {
    if (index <= 0) throw this.error('invalid backreference number', at);
    // PCRE2 compares caselessly (ASCII) here, JS without the i flag cannot.
    if (this.flags.caseless) throw this.error('backreferences in caseless mode are not supported', at);
    return index;
  }

  // --- character classes -------------------------------------------------------------------------

  /** After `[`: builds the byte set, then applies caseless folding and `^` negation (in that order). */
  private parseClass(): Node {
    const at = this.pos - 1;
    const negate = this.peek() === '^';
    if (negate) this.pos++;
    const set = new Uint8Array(256);
    let quoted = false; // inside \Q…\E, where every byte is a literal member
    const skipQuoteMarks = (): void => {
      while (this.startsWith('\\Q') || this.startsWith('\\E')) {
        quoted = this.peek(1) === 'Q';
        this.pos += 2;
      }
      if (this.pos >= this.src.length) throw this.error('missing terminating ] for character class', at);
    };
    const member = (): number | ByteSet => (quoted ? this.src.charCodeAt(this.pos++) : this.classItem());
    for (let first = true; ; first = false) {
      skipQuoteMarks();
      if (!quoted && !first && this.peek() === ']') {
        this.pos++;
        break;
      }
      const item = member();
      skipQuoteMarks();
      const rangeAhead = !quoted && this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '';
      if (typeof item === 'number' && rangeAhead) {
        this.pos++;
        skipQuoteMarks();
        const end = member();
        if (typeof end !== 'number') throw this.error('invalid range in character class');
        if (end < item) throw this.error('range out of order in character class');
        for (let b = item; b <= end; b++) set[b] = 1;
      } else if (typeof item === 'number') {
        set[item] = 1;
      } else {
        if (rangeAhead) throw this.error('invalid range in character class');
        for (let b = 0; b < 256; b++) if (item[b] === 1) set[b] = 1;
      }
    }
    if (this.flags.caseless) foldCase(set);
    return { kind: 'bytes', set: negate ? complement(set) : set };
  }

  /** One class member: a byte, or a set (type escape or POSIX class). */
  private classItem(): number | ByteSet {
    const at = this.pos;
    const c = this.peek();
    if (c === '[' && /^\[[:.=]/.test(this.src.slice(this.pos))) {
      const posix = this.posixClass();
      if (posix !== undefined) return posix;
    }
    this.pos++;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.peek();
    if (e === '') throw this.error('\\ at end of pattern', at);
    this.pos++;
    const type = TYPE_ESCAPES.get(e);
    if (type !== undefined) return type;
    if (e === 'b') return 0x08;
    if (e >= '1' && e <= '7') {
      this.pos--;
      return this.readCode(/^[0-7]{1,3}/, 8, at);
    }
    if (/[89NRBXKpPgk]/.test(e)) throw this.error(`escape sequence \\${e} is invalid in a character class`, at);
    return this.charEscape(e, at);
  }

  /** `[:name:]` or `[:^name:]`; undefined when the text is not POSIX class syntax (then `[` is literal). */
  private posixClass(): ByteSet | undefined {
    const match = POSIX_SYNTAX.exec(this.src.slice(this.pos));
    if (match === null) return undefined;
    const [text, kind, not, rawName = ''] = match;
    if (kind !== ':') throw this.error('POSIX collating elements are not supported');
    // PCRE2: in caseless mode [:lower:] and [:upper:] mean [:alpha:].
    const name = this.flags.caseless && (rawName === 'lower' || rawName === 'upper') ? 'alpha' : rawName;
    const member = POSIX_CLASSES.get(name);
    if (member === undefined) throw this.error(`unknown POSIX class name "${rawName}"`);
    this.pos += text.length;
    const set = setOf(member);
    return not === '^' ? complement(set) : set;
  }
}

/** Minimum and maximum number of bytes `node` can match (lookbehind check). */
function width(node: Node): [number, number] {
  switch (node.kind) {
    case 'bytes':
      return [1, 1];
    case 'assert':
    case 'look':
      return [0, 0];
    case 'seq':
      return node.items.map(width).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
    case 'alt': {
      const widths = node.branches.map(width);
      return [Math.min(...widths.map((w) => w[0])), Math.max(...widths.map((w) => w[1]))];
    }
    case 'group':
    case 'capture':
    case 'atomic':
      return width(node.body);
    case 'repeat': {
      const [min, max] = width(node.body);
      return [min * node.min, max === 0 ? 0 : max * node.max];
    }
    case 'backref':
      return [0, Infinity];
  }
}

/**
 * A JS backreference to a group that did not participate matches the empty string, while PCRE2's
 * fails; JS also resets captures on every iteration of a quantified group. So a backreference is
 * only accepted when its group is certain to be set at that point: closed earlier on every path, not
 * inside an alternative, an optional repeat or a lookaround. Returns the groups set after `node`.
 */
function requireSetBackreferences(node: Node, set: ReadonlySet<number>): ReadonlySet<number> {
  switch (node.kind) {
    case 'bytes':
    case 'assert':
      return set;
    case 'seq':
      return node.items.reduce((known, item) => requireSetBackreferences(item, known), set);
    case 'alt':
    case 'look':
      for (const branch of node.kind === 'alt' ? node.branches : [node.body]) requireSetBackreferences(branch, set);
      return set;
    case 'group':
    case 'atomic':
      return requireSetBackreferences(node.body, set);
    case 'capture':
      return new Set([...requireSetBackreferences(node.body, set), node.index]);
    case 'repeat': {
      const after = requireSetBackreferences(node.body, set);
      return node.min > 0 ? after : set;
    }
    case 'backref':
      if (!set.has(node.index)) {
        throw new PatternError(
          `pcre2: backreference to group ${node.index} at byte ${node.offset} may refer to an unset group, which JS would match as empty`,
        );
      }
      return set;
  }
}

function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'seq':
      return node.items;
    case 'alt':
      return node.branches;
    case 'group':
    case 'capture':
    case 'look':
    case 'atomic':
    case 'repeat':
      return [node.body];
    default:
      return [];
  }
}

const contains = (node: Node, test: (node: Node) => boolean): boolean =>
  test(node) || children(node).some((child) => contains(child, test));

/**
 * An optional iteration of a group that matches the empty string: JS discards it and backtracks
 * into the group for a non-empty match first, PCRE2 accepts it and stops looping. Both reach the
 * same positions in a different order, which changes the outcome only where the first success
 * commits (atomic groups, possessive quantifiers) or through captured text (backreferences), so
 * such repeats are rejected there. `sensitive` is true inside those contexts.
 */
function requireSameEmptyIterations(node: Node, sensitive: boolean): void {
  const inner = sensitive || node.kind === 'atomic' || (node.kind === 'repeat' && node.mode === 'possessive');
  if (node.kind === 'repeat' && inner && node.max > node.min && node.body.kind !== 'bytes' && width(node.body)[0] === 0) {
    throw new PatternError(
      `pcre2: the group repeated at byte ${node.offset} can match the empty string; JS orders such iterations differently, which changes the result with atomic groups, possessive quantifiers or backreferences`,
    );
  }
  for (const child of children(node)) requireSameEmptyIterations(child, inner);
}

// ---------------------------------------------------------------------------------------------------
// Emitter: Node → JS RegExp source (no flags). JS group numbers differ from PCRE2's because atomic
// emulation adds groups, so captures are renumbered in output order.

class Emitter {
  private groups = 0;
  private readonly jsGroup = new Map<number, number>();

  emit(node: Node): string {
    switch (node.kind) {
      case 'bytes':
        return byteSetSource(node.set);
      case 'assert':
        return node.source;
      case 'seq':
        return node.items.map((item) => this.emit(item)).join('');
      case 'alt':
        return node.branches.map((branch) => this.emit(branch)).join('|');
      case 'group':
        return `(?:${this.emit(node.body)})`;
      case 'capture': {
        const group = ++this.groups;
        this.jsGroup.set(node.index, group);
        return `(${this.emit(node.body)})`;
      }
      case 'look':
        return `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}${this.emit(node.body)})`;
      case 'atomic':
        return this.atomic(() => this.emit(node.body));
      case 'repeat':
        return node.mode === 'possessive' ? this.atomic(() => this.repeat(node, '')) : this.repeat(node, node.mode === 'lazy' ? '?' : '');
      case 'backref':
        // Wrapped so that a following digit cannot extend the group number.
        return `(?:\\${this.jsGroup.get(node.index) ?? 0})`;
    }
  }

  /** `(?=(X))\N`: the lookahead cannot be backtracked into, and `\N` consumes what it matched. */
  private atomic(body: () => string): string {
    const group = ++this.groups; // numbered before the groups inside X, as JS numbers by `(`
    return `(?:(?=(${body()}))\\${group})`;
  }

  private repeat(node: Extract<Node, { kind: 'repeat' }>, suffix: string): string {
    const body = node.body.kind === 'bytes' ? this.emit(node.body) : `(?:${this.emit(node.body)})`;
    const { min, max } = node;
    const quantifier =
      max === Infinity ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === 0 && max === 1 ? '?' : min === max ? `{${min}}` : `{${min},${max}}`;
    return body + quantifier + suffix;
  }
}
