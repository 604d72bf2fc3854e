// Collects the problems found while parsing one rule, located at file, line and rule id
// (types.ts `RuleProblem`), so the loader can report every one of them at the end.
import type { RuleProblem } from './types.js';

export class RuleProblems {
  readonly list: RuleProblem[] = [];
  #ruleId: string | undefined;

  constructor(private readonly file: string) {}

  /** Problems found from now on name this rule. */
  setRule(id: number): void {
    this.#ruleId = String(id);
  }

  error(line: number, message: string): void {
    this.#push('error', line, message);
  }

  warn(line: number, message: string): void {
    this.#push('warning', line, message);
  }

  #push(severity: RuleProblem['severity'], line: number, message: string): void {
    this.list.push({ severity, file: this.file, line, ...(this.#ruleId !== undefined ? { ruleId: this.#ruleId } : {}), message });
  }
}
