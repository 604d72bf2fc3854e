// The loaded, immutable ruleset (types.ts `Ruleset`) and its sessions, each owning one
// CorrelationState. Built by load-rules.ts; sync and `rules test` only see the interfaces.
import { fromBytes } from '../bytes.js';
import type { DecodedEvent } from '../decoder/types.js';
import { type Clock, systemClock } from './clock.js';
import { CorrelationState } from './correlation.js';
import { OrderSensitivityProbe, SessionEvaluator, type SessionView } from './evaluate.js';
import type { RuleTree } from './rule-tree.js';
import type { ClockMode, CorrelationSnapshot, EvaluateOptions, RuleMatch, RuleProblem, RuleSession, Ruleset } from './types.js';

export interface SessionOptions {
  readonly clock: ClockMode;
  readonly state?: CorrelationSnapshot | undefined;
  /** Default `alerting` (analysisd); `rules test` uses `logtest` (§2.5). */
  readonly view?: SessionView;
  /** Wall clock for the processing clock and the event clock's fallback; default the system clock. */
  readonly wallClock?: Clock;
}

class Session implements RuleSession {
  readonly #state: CorrelationState;
  readonly #evaluator: SessionEvaluator;

  constructor(tree: RuleTree, options: SessionOptions, defaultWall: Clock) {
    this.#state = new CorrelationState(tree, options.state);
    this.#evaluator = new SessionEvaluator(tree, this.#state, options.clock, options.wallClock ?? defaultWall, options.view ?? 'alerting');
  }

  evaluate(event: DecodedEvent, options?: EvaluateOptions): RuleMatch | null {
    return this.#evaluator.evaluate(event, options?.explain);
  }

  snapshot(): CorrelationSnapshot {
    return this.#state.snapshot();
  }
}

export class CompiledRuleset implements Ruleset {
  readonly ruleCount: number;
  readonly warnings: readonly RuleProblem[];
  /** The tree itself, for lint and benchmarks. */
  readonly tree: RuleTree;
  readonly #wall: Clock;
  readonly #probe: OrderSensitivityProbe;

  constructor(tree: RuleTree, warnings: readonly RuleProblem[], wallClock: Clock = systemClock) {
    this.tree = tree;
    this.ruleCount = tree.rules.size;
    this.warnings = warnings;
    this.#wall = wallClock;
    this.#probe = new OrderSensitivityProbe(tree, wallClock);
  }

  isOrderSensitive(event: DecodedEvent): boolean {
    return this.#probe.isOrderSensitive(event);
  }

  ruleDescription(id: string): string | undefined {
    const raw = this.tree.rules.get(Number(id))?.def.description.raw;
    return raw === undefined ? undefined : fromBytes(raw);
  }

  newSession(options: SessionOptions): RuleSession {
    return new Session(this.tree, options, this.#wall);
  }
}
