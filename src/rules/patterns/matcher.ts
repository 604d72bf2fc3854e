// The contract shared by every pattern language of the rule engine: a pattern is compiled once and
// then tested against many byte-string values. Kept in its own leaf module so that the compilers and
// the `pattern.ts` dispatcher can both import it without an import cycle.
import type { ByteString } from '../../bytes.js';

/** A compiled pattern. `test` is pure and allocation-free where the language allows it. */
export interface Matcher {
  /** True when the pattern matches `value` (a byte string: char codes 0–255, no NUL). */
  test(value: ByteString): boolean;
}

/** The pattern cannot be compiled; Wazuh rejects such a rule at load time (rule-language.md §1.7). */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}
