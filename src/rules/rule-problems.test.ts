import { describe, expect, it } from 'vitest';
import { RuleProblems } from './rule-problems.js';

describe('RuleProblems', () => {
  it('locates problems at file and line, and names the rule once it is known', () => {
    const p = new RuleProblems('f.xml');
    p.error(3, 'before the id');
    p.setRule(100);
    p.warn(4, 'after the id');
    expect(p.list).toEqual([
      { severity: 'error', file: 'f.xml', line: 3, message: 'before the id' },
      { severity: 'warning', file: 'f.xml', line: 4, ruleId: '100', message: 'after the id' },
    ]);
  });
});
