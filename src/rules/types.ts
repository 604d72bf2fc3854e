// The rule engine's public surface: load once, then evaluate decoded events in a session that owns
// correlation state. Semantics: ../shared/docs/rule-language.md (Wazuh 4.14.7, JSON events).
import type { DecodedEvent } from '../decoder/types.js';

/** Wazuh's default `log_alert_level` (rule-language.md §2.5): a final rule at this level or above is an alert. */
export const ALERT_LEVEL = 3;

/** The rule that an event resolved to, in Wazuh's alert shape (rule-language.md §9). */
export interface RuleMatch {
  readonly id: string;
  readonly level: number;
  readonly description: string;
  readonly groups: readonly string[];
  readonly pci_dss?: readonly string[];
  readonly gdpr?: readonly string[];
  readonly hipaa?: readonly string[];
  readonly nist_800_53?: readonly string[];
  readonly tsc?: readonly string[];
  readonly cis?: readonly string[];
  readonly gpg13?: readonly string[];
  readonly mitre?: { readonly id: readonly string[]; readonly tactic?: readonly string[]; readonly technique?: readonly string[] };
  /** Omitted with the `no_counter` option. */
  readonly firedtimes?: number;
  readonly mail: boolean;
  /** Composite rules only. */
  readonly frequency?: number;
  readonly info?: string;
  readonly cve?: string;
}

/** How correlation (timeframe, ignore) and <time>/<weekday> read the clock. */
export type ClockMode = 'event' | 'processing';

/** A problem found while loading or linting, always located. */
export interface RuleProblem {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly ruleId?: string;
  readonly message: string;
}

/** Opaque, JSON-serialisable correlation state (lists, marks, ignore windows, counters). */
export interface CorrelationSnapshot {
  readonly version: 1;
  readonly [key: string]: unknown;
}

export interface EvaluateOptions {
  /** Receives the path taken through the tree, like wazuh-logtest's verbose output. */
  readonly explain?: (line: string) => void;
}

export interface RuleSession {
  /** Evaluate one event; mutates correlation state. Returns the final rule (level 0 included) or null. */
  evaluate(event: DecodedEvent, options?: EvaluateOptions): RuleMatch | null;
  /** Serialisable state to persist between runs. */
  snapshot(): CorrelationSnapshot;
}

export interface Ruleset {
  readonly ruleCount: number;
  /** Non-fatal problems seen while loading (skipped rules, unknown parents, …). */
  readonly warnings: readonly RuleProblem[];
  /**
   * True when the event's result could depend on, or change, correlation state: it reaches a
   * composite rule whose other conditions pass, or its final rule feeds a correlation list or has
   * `ignore`. Pure: no state is read or written. Sync defers such events and evaluates them in
   * eventTime order so results do not depend on concurrency.
   */
  isOrderSensitive(event: DecodedEvent): boolean;
  /** A rule's description as written (placeholders such as `$(aws.eventName)` unfilled), for summaries. */
  ruleDescription(id: string): string | undefined;
  newSession(options: { readonly clock: ClockMode; readonly state?: CorrelationSnapshot }): RuleSession;
}
