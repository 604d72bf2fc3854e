// The compiled form of one `<rule>`: everything evaluation needs, precomputed at load (patterns
// compiled, names lower-cased, output fields split). An `overwrite="yes"` rule replaces a whole
// definition; the tree node that holds it keeps its place (rule-language.md §1.6).
import type { ByteString } from '../bytes.js';
import type { DecodedEvent, StaticField } from '../decoder/types.js';
import type { DescriptionTemplate } from './description.js';
import type { Matcher } from './patterns/pattern.js';
import type { GroupFields } from './rule-groups.js';
import type { RuleMatch } from './types.js';

/** `<category>` values (rules.c); JSON events have type `syslog`. */
export type Category = 'firewall' | 'ids' | 'syslog' | 'web-log' | 'squid' | 'windows' | 'ossec';

/** What a condition may ask of the session while it is evaluated. */
export interface CheckContext {
  /** Local time of day of the session clock, `HH:MM` (§3.6). */
  timeOfDay(): string;
  /** Local weekday of the session clock, 0 = Sunday. */
  weekDay(): number;
  /** `<check_diff>`: true when the log differs from the last one stored for this rule and host. */
  checkDiff(ruleId: number, event: DecodedEvent): boolean;
}

/** One condition; all of a rule's checks must pass, in §3.8 order. */
export type EventCheck = (event: DecodedEvent, ctx: CheckContext) => boolean;

/**
 * A condition that can only pass when `key` has one of `values`; used to index children so an
 * event does not try every sibling. `key` is `decoder` (exact names) or `field:<lower-cased name>`
 * (values as written, compared ignoring ASCII case like osmatch/osregex equality).
 */
export interface ExactRequirement {
  readonly key: string;
  readonly values: readonly ByteString[];
}

/** The value a literal requirement is about: `log`, or a dynamic field by lower-cased name. */
export type LiteralSource = 'log' | `field:${string}`;

/**
 * A condition that can only pass when one of `literals` (lower-cased) occurs in the value of
 * `source`, ignoring ASCII case. An empty list: it never passes. Lets a node skip, in bulk, the
 * children that provably fail (literal-prefilter.ts).
 */
export interface LiteralRequirement {
  readonly source: LiteralSource;
  readonly literals: readonly ByteString[];
}

/** Event slots a `same_*`/`different_*` option can compare (§5.5). */
export type CorrelationSlot = StaticField | 'location' | 'srcgeoip' | 'dstgeoip';

export interface CorrelationFields {
  readonly slots: readonly CorrelationSlot[];
  /** Dynamic field names, ASCII-lower-cased. */
  readonly fields: readonly string[];
}

export interface RuleDefinition {
  readonly id: number;
  readonly file: string;
  readonly line: number;
  /** §2.1: level × 100, level 0 → 9900, unscaled with accuracy="0"; orders siblings while loading. */
  readonly internalLevel: number;
  /** The level after loading (§2.1). */
  readonly level: number;
  readonly noalert: boolean;
  /** `overwrite="yes"` of a rule that is already loaded (§1.6); false for a new rule. */
  readonly overwrite: boolean;
  /** `frequency − 2` (absent: 0): the number of stored events a composite must find (§5.2). */
  readonly need: number;
  readonly timeframe: number;
  /** `ignore` attribute in seconds; 0 when absent. */
  readonly ignore: number;
  readonly mail: boolean;
  readonly noCounter: boolean;
  readonly category: Category;
  /** The group string (§1.5): wrapper name followed by the `<group>` texts. */
  readonly groupString: ByteString;
  readonly groupFields: GroupFields;
  readonly description: DescriptionTemplate;
  readonly checks: readonly EventCheck[];
  readonly requirements: readonly ExactRequirement[];
  readonly literalRequirements: readonly LiteralRequirement[];
  /** A condition can never hold for a decoded JSON event (e.g. `<program_name>`, `<if_fts>`). */
  readonly neverMatches: boolean;
  /** Wazuh's `context`: some `if_matched_*` or `check_diff` was given (§1.7). */
  readonly context: boolean;
  readonly checkDiff: boolean;
  readonly globalFrequency: boolean;
  readonly ifMatchedRegex: Matcher | undefined;
  readonly same: CorrelationFields;
  readonly different: CorrelationFields;
  readonly mitre: RuleMatch['mitre'];
  readonly info: string | undefined;
  readonly cve: string | undefined;
  // Placement (§2.3); only used when the rule is first added, never by an overwrite.
  readonly ifSid: ByteString | undefined;
  readonly ifLevel: ByteString | undefined;
  readonly ifGroup: ByteString | undefined;
  readonly ifMatchedSid: number | undefined;
  /** The osmatch of `if_matched_group`, which picks the rules that feed it (§5.1). */
  readonly ifMatchedGroup: Matcher | undefined;
}

/** §2.1, after loading: 9900 → 0, ≥ 100 → ÷ 100. */
export function finalLevel(internalLevel: number): number {
  if (internalLevel === 9900) return 0;
  return internalLevel >= 100 ? Math.floor(internalLevel / 100) : internalLevel;
}
