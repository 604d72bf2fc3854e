import { describe, expect, it } from 'vitest';
import type { RuleMatch } from '../rules/types.js';
import { RunStats } from './run-stats.js';

const rule = (id: string, level: number): RuleMatch => ({ id, level, description: `rule ${id}`, groups: [], mail: false });

describe('RunStats', () => {
  it('sums alerts by level from the alert threshold up, ranks top rules and flags problems', () => {
    let t = 1_000;
    const stats = new RunStats('run-1', () => t, (id) => (id === '80803' ? 'Breakin by $(user)' : undefined));
    for (const m of [rule('80802', 5), rule('80802', 5), rule('80803', 10), rule('80801', 2), rule('80800', 0), null]) stats.matched(m);
    stats.problem('gzip_corrupt');
    t = 3_000;
    const s = stats.summary({ source: 's3://b/', namespace: 'ns', shard: '0/1', dryRun: false, exitCode: 1 });
    expect(s.records).toBe(6);
    expect(s.alerts).toEqual({ total: 3, byLevel: { '5': 2, '10': 1 } });
    expect(s.topRules.map((r) => [r.id, r.count, r.description])).toEqual([['80802', 2, 'rule 80802'], ['80803', 1, 'Breakin by $(user)'], ['80801', 1, 'rule 80801']]);
    expect(s.problems).toEqual({ gzip_corrupt: 1 });
    expect(s.durationMs).toBe(2_000);
    expect(s.eventsPerSecond).toBe(3);
    expect(stats.hadProblems).toBe(true);
  });
});
