// Evaluates one decoded event against the rule tree (rule-language.md §2.4, §2.5, §3, §8, §9):
// the depth-first walk that picks the final rule, what happens after (level 0, ignore windows,
// remembering for correlation) in the analysisd or the logtest view, and the alert's `rule` object.
// The same walk, with correlation stubbed out, answers `isOrderSensitive` without touching state.
import { fromBytes } from '../bytes.js';
import type { DecodedEvent } from '../decoder/types.js';
import type { Clock } from './clock.js';
import type { CorrelationState, CurrentEvent } from './correlation.js';
import type { CheckContext } from './rule-definition.js';
import { keyedChildren } from './child-index.js';
import type { RuleNode, RuleState, RuleTree } from './rule-tree.js';
import type { ClockMode, RuleMatch } from './types.js';

/**
 * `alerting` follows analysisd (ignore windows re-attribute to the parent), `logtest` follows
 * wazuh-logtest (the ignored rule is still reported, just not remembered), §2.5.
 */
export type SessionView = 'alerting' | 'logtest';

/** Everything the walk asks while it runs; a session and the order-sensitivity probe differ here. */
interface WalkHooks {
  /** Runs a composite's correlation search (§5.2); false stops the rule. */
  correlate(rule: RuleState, walk: Walk): boolean;
  checkDiff(ruleId: number, event: DecodedEvent, walk: Walk): boolean;
  /** Counts the rule as final; returns its firedtimes. */
  fire(rule: RuleState): number;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Per-event walk state; reused by a session so an evaluation allocates almost nothing. */
class Walk implements CheckContext {
  event!: DecodedEvent;
  current!: CurrentEvent;
  /** Milliseconds of the instant the session clock assigns to the event. */
  instantMs = 0;
  /** Seconds of that instant (correlation and ignore compare whole seconds, like Wazuh). */
  nowSec = 0;
  /** The rule whose child returned the final rule (§2.4); the ignore fallback. */
  parentOfFinal: RuleState | undefined;
  firedtimes = 0;
  /** Set by the probe to stop the walk as soon as the answer is known. */
  aborted = false;
  explain: ((line: string) => void) | undefined;
  #date: Date | undefined;

  constructor(private readonly hooks: WalkHooks) {}

  reset(event: DecodedEvent, instantMs: number, explain: ((line: string) => void) | undefined): void {
    this.event = event;
    this.current = { event, matched: 0 };
    this.instantMs = instantMs;
    this.nowSec = Math.floor(instantMs / 1000);
    this.parentOfFinal = undefined;
    this.firedtimes = 0;
    this.aborted = false;
    this.explain = explain;
    this.#date = undefined;
  }

  // §3.6: <time> and <weekday> read the local wall-clock time of the session clock's instant.
  timeOfDay(): string {
    this.#date ??= new Date(this.instantMs);
    return `${pad(this.#date.getHours())}:${pad(this.#date.getMinutes())}`;
  }

  weekDay(): number {
    this.#date ??= new Date(this.instantMs);
    return this.#date.getDay();
  }

  checkDiff(ruleId: number, event: DecodedEvent): boolean {
    return this.hooks.checkDiff(ruleId, event, this);
  }

  /** The final rule for the event, or undefined (§2.4). JSON events are of type syslog. */
  run(roots: readonly RuleNode[]): RuleState | undefined {
    for (const root of roots) {
      if (root.state.category !== 'syslog') continue;
      const final = this.#check(root, 0);
      if (final !== undefined || this.aborted) return final;
    }
    return undefined;
  }

  /** CHECK of §2.4. */
  #check(node: RuleNode, depth: number): RuleState | undefined {
    const state = node.state;
    const def = state.def;
    const explain = this.explain;
    const indent = explain === undefined ? '' : '    '.repeat(depth);
    explain?.(`${indent}Trying rule: ${def.id} - ${fromBytes(def.description.raw)}`);
    for (const check of def.checks) {
      if (!check(this.event, this)) return undefined;
    }
    // §3.8: correlation runs last, only when everything else passed; check_diff disables it.
    if (def.context && !def.checkDiff && state.search !== undefined && !this.hooks.correlate(state, this)) return undefined;
    explain?.(`${indent}   *Rule ${def.id} matched`);
    const final = explain === undefined ? this.#tryCandidates(node, depth) : this.#tryAll(node, depth, explain, indent);
    if (final !== undefined) {
      this.parentOfFinal ??= state;
      return final;
    }
    if (this.aborted) return undefined;
    if (def.noalert) return undefined; // transparent: the caller tries the next sibling
    this.firedtimes = this.hooks.fire(state);
    return state;
  }

  /** With explain every child is tried, so the trace shows the whole path like wazuh-logtest. */
  #tryAll(node: RuleNode, depth: number, explain: (line: string) => void, indent: string): RuleState | undefined {
    if (node.children.length > 0) explain(`${indent}   *Trying child rules`);
    for (const child of node.children) {
      const final = this.#check(child, depth + 1);
      if (final !== undefined || this.aborted) return final;
    }
    return undefined;
  }

  /**
   * Tries, in sibling order, only the children that can pass: the index's pick for the event, the
   * unkeyed children, and of the prefiltered ones those whose literal occurs. Skipping a child
   * whose required literal is absent changes nothing: it would fail a condition that runs before
   * any side effect (§3.8). The search runs only once the walk reaches the first filtered child.
   */
  #tryCandidates(node: RuleNode, depth: number): RuleState | undefined {
    const keyed = node.index === undefined ? NO_CHILDREN : keyedChildren(node.index, this.event);
    const prefilter = node.prefilter;
    const unkeyed = prefilter === undefined ? node.unkeyed : prefilter.plain;
    let k = 0;
    let u = 0;
    let f = 0;
    let found = prefilter === undefined ? 0 : NOT_SEARCHED;
    for (;;) {
      // The three lists are each in sibling order and disjoint: take the lowest position.
      let child = keyed[k];
      let from = KEYED;
      const plain = unkeyed[u];
      if (plain !== undefined && (child === undefined || plain.position < child.position)) {
        child = plain;
        from = UNKEYED;
      }
      if (prefilter !== undefined && (found === NOT_SEARCHED || f < found)) {
        const position = found === NOT_SEARCHED ? prefilter.firstPosition : prefilter.foundNode(f).position;
        if (child === undefined || position < child.position) {
          if (found === NOT_SEARCHED) {
            prefilter.search(this.event);
            found = prefilter.foundCount();
            continue;
          }
          child = prefilter.foundNode(f);
          from = FOUND;
        }
      }
      if (child === undefined) return undefined;
      if (from === KEYED) k++;
      else if (from === UNKEYED) u++;
      else f++;
      const final = this.#check(child, depth + 1);
      if (final !== undefined || this.aborted) return final;
    }
  }
}

const NO_CHILDREN: readonly RuleNode[] = [];
const NOT_SEARCHED = -1;
const KEYED = 0;
const UNKEYED = 1;
const FOUND = 2;

/** The instant a session clock assigns to an event (§11.4): its own time, or the wall clock. */
function eventInstantMs(mode: ClockMode, event: DecodedEvent, wall: Clock): number {
  return mode === 'event' && event.eventTimeMs !== undefined ? event.eventTimeMs : wall.nowMs();
}

/** The alert's `rule` object (§9), key order as in RuleMatch. */
function buildRuleMatch(rule: RuleState, event: DecodedEvent, firedtimes: number): RuleMatch {
  const def = rule.def;
  const g = def.groupFields;
  const out: Record<string, unknown> = { id: String(def.id), level: def.level, description: def.description.render(event), groups: g.groups };
  if (g.pci_dss) out['pci_dss'] = g.pci_dss;
  if (g.gdpr) out['gdpr'] = g.gdpr;
  if (g.hipaa) out['hipaa'] = g.hipaa;
  if (g.nist_800_53) out['nist_800_53'] = g.nist_800_53;
  if (g.tsc) out['tsc'] = g.tsc;
  if (g.cis) out['cis'] = g.cis;
  if (g.gpg13) out['gpg13'] = g.gpg13;
  if (def.mitre) out['mitre'] = def.mitre;
  if (!def.noCounter) out['firedtimes'] = firedtimes;
  out['mail'] = def.mail;
  // Composites only: the attribute value, 2 when absent (to_json.c prints frequency + 2).
  if (rule.search !== undefined) out['frequency'] = def.need + 2;
  if (def.info !== undefined) out['info'] = def.info;
  if (def.cve !== undefined) out['cve'] = def.cve;
  return out as unknown as RuleMatch;
}

/** A session's evaluator: the walk bound to its correlation state. */
export class SessionEvaluator {
  readonly #walk: Walk;

  constructor(
    private readonly tree: RuleTree,
    private readonly state: CorrelationState,
    private readonly clock: ClockMode,
    private readonly wall: Clock,
    private readonly view: SessionView,
  ) {
    this.#walk = new Walk({
      correlate: (rule, walk) => state.search(rule, walk.current, walk.nowSec),
      checkDiff: (id, event) => state.checkDiff(id, event),
      fire: (rule) => state.fire(rule.id),
    });
  }

  evaluate(event: DecodedEvent, explain?: (line: string) => void): RuleMatch | null {
    const walk = this.#walk;
    walk.reset(event, eventInstantMs(this.clock, event, this.wall), explain);
    const fired = walk.run(this.tree.roots);
    if (fired === undefined) return null;
    const firedtimes = walk.firedtimes;
    // §2.5 step 1: level 0 is reported but never remembered.
    if (fired.def.level === 0) return buildRuleMatch(fired, event, firedtimes);
    let final = fired;
    const ignore = fired.def.ignore;
    if (ignore > 0) {
      const start = this.state.ignoreStart(fired.id);
      const now = walk.nowSec;
      // Under the event clock events may arrive out of order: the window extends both ways.
      const inWindow = start !== 0 && (this.clock === 'event' ? Math.abs(now - start) : now - start) < ignore;
      if (start === 0) {
        this.state.setIgnoreStart(fired.id, now);
      } else if (inWindow) {
        if (this.view === 'logtest') return buildRuleMatch(fired, event, firedtimes); // reported, not remembered
        // analysisd: the parent of the final rule takes the event, or it is dropped.
        if (walk.parentOfFinal === undefined) return null;
        final = walk.parentOfFinal;
      } else {
        this.state.setIgnoreStart(fired.id, this.view === 'logtest' ? 0 : now);
      }
    }
    this.state.remember(final, walk.current, walk.nowSec);
    // firedtimes stays that of the rule that fired, as lf->r_firedtimes does.
    return buildRuleMatch(final, event, firedtimes);
  }
}

/**
 * Ruleset.isOrderSensitive: walks without state. Reaching a composite whose other conditions pass
 * (or a check_diff rule) answers true at once; otherwise the final rule decides: it is sensitive
 * when it would be remembered in a list some composite reads, or has an ignore window.
 */
export class OrderSensitivityProbe {
  readonly #walk: Walk;

  constructor(
    private readonly tree: RuleTree,
    private readonly wall: Clock,
  ) {
    const stop = (walk: Walk): boolean => {
      walk.aborted = true;
      return false;
    };
    this.#walk = new Walk({ correlate: (_rule, walk) => stop(walk), checkDiff: (_id, _event, walk) => stop(walk), fire: () => 0 });
  }

  isOrderSensitive(event: DecodedEvent): boolean {
    const walk = this.#walk;
    // There is no session here: <time>/<weekday> read the event's own time (the default clock).
    walk.reset(event, eventInstantMs('event', event, this.wall), undefined);
    const final = walk.run(this.tree.roots);
    if (walk.aborted) return true;
    if (final === undefined || final.def.level === 0) return false;
    return final.def.ignore > 0 || final.ownList !== undefined || final.feeds.length > 0 || this.tree.searchesEvents;
  }
}
