// The wall clock the rule engine reads (processing clock, and the event clock's fallback). Injected
// so tests can pin time; production uses the system clock.

/** A source of wall-clock time in milliseconds since the epoch. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
