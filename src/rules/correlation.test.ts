import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import { MEMORY_SIZE } from './correlation.js';
import { compileRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { ClockMode, CorrelationSnapshot } from './types.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';
const T0 = 1_700_000_000_000;

function compile(rules: string) {
  const result = compileRuleset([{ path: 'r.xml', text: toBytes(`${ROOT}<group name="t,">${rules}</group>`) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
  expect(result.problems).toEqual([]);
  return result.ruleset;
}

const ev = (o: unknown, extra: Partial<DecodedEvent> = {}): DecodedEvent => ({ ...decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' }), ...extra });

/** A session on a pinned wall clock; `at(s)` moves it to T0 + s seconds. */
function harness(rules: string, clock: ClockMode = 'processing', state?: CorrelationSnapshot) {
  const ruleset = compile(rules);
  let now = T0;
  const session = ruleset.newSession({ clock, wallClock: { nowMs: () => now }, ...(state !== undefined ? { state } : {}) });
  return {
    ruleset,
    session,
    at(seconds: number) {
      now = T0 + seconds * 1000;
    },
    run: (o: unknown, extra: Partial<DecodedEvent> = {}) => session.evaluate(ev(o, extra))?.id ?? null,
  };
}

const X = '<rule id="100" level="3"><field name="k">^x$</field><description>X</description></rule>';
const composite = (id: number, level: number, attrs: string, body = '') =>
  `<rule id="${id}" level="${level}"${attrs}><if_matched_sid>100</if_matched_sid>${body}<description>C${id}</description></rule>`;

describe('frequency counting (rule-language.md §5.3)', () => {
  it('fires C on the 4th and 8th X event for frequency="4" (the §5.3 table)', () => {
    const h = harness(X + composite(200, 10, ' frequency="4" timeframe="360"'));
    const finals = Array.from({ length: 9 }, () => h.run({ k: 'x' }));
    expect(finals).toEqual(['100', '100', '100', '200', '100', '100', '100', '200', '100']);
    // Stored in sid_list(100): e1 e2 e3 e5 e6 e7 e9; marked: e3 and e7 by C (e4 and e8 too, in no list).
    const events = (h.session.snapshot() as unknown as { events: Array<{ s: number; m: number; in: string[] }> }).events;
    expect(events.filter((e) => e.in.includes('sid:100')).map((e) => [e.s + 1, e.m])).toEqual([
      [1, 0], [2, 0], [3, 10], [5, 0], [6, 0], [7, 10], [9, 0],
    ]);
  });

  it('fires C on every X after the first for frequency 2 or none, until the newest X expires', () => {
    const h = harness(X + composite(200, 10, ' timeframe="60"'));
    const finals: Array<string | null> = [];
    for (const t of [0, 1, 2, 3]) {
      h.at(t);
      finals.push(h.run({ k: 'x' }));
    }
    h.at(100); // the newest stored X (t=0) is now more than 60 s old
    finals.push(h.run({ k: 'x' }));
    h.at(101);
    finals.push(h.run({ k: 'x' }));
    expect(finals).toEqual(['100', '200', '200', '200', '100', '200']);
  });

  it('counts an event exactly timeframe seconds old, but not one a second older', () => {
    const h = harness(X + composite(200, 10, ' timeframe="10"'));
    h.at(0);
    h.run({ k: 'x' });
    h.at(10);
    expect(h.run({ k: 'x' })).toBe('200');
    const g = harness(X + composite(200, 10, ' timeframe="10"'));
    g.at(0);
    g.run({ k: 'x' });
    g.at(11);
    expect(g.run({ k: 'x' })).toBe('100');
  });

  it('lets marks block composites of the same or lower level, but not higher ones', () => {
    const h = harness(X + composite(200, 5, ' frequency="3"') + composite(300, 10, ' frequency="5"'));
    // X3 completes C200 (marks e3 and e2 with 5); C200 is then blocked by e2's mark until two new
    // X events follow it, while C300 counts e2 anyway and fires on X6.
    expect(Array.from({ length: 6 }, () => h.run({ k: 'x' }))).toEqual(['100', '100', '200', '100', '100', '300']);
  });

  it('never fires on a level-0 rule: level-0 finals are not remembered', () => {
    const h = harness('<rule id="100" level="0"><field name="k">^x$</field><description>X</description></rule>' + composite(200, 10, ''));
    expect([h.run({ k: 'x' }), h.run({ k: 'x' }), h.run({ k: 'x' })]).toEqual(['100', '100', '100']);
  });

  it('applies marks even when the composite is noalert', () => {
    const h = harness(X + composite(200, 10, ' frequency="3" noalert="1"') + '<rule id="300" level="12"><if_sid>200</if_sid><field name="final">^yes$</field><description>child</description></rule>');
    expect(Array.from({ length: 4 }, () => h.run({ k: 'x' }))).toEqual(['100', '100', '100', '100']);
    // The 4th event completed 200 (noalert, its child failed): e3 is now a barrier, so even a
    // matching child needs two fresh X events.
    expect(h.run({ k: 'x', final: 'yes' })).toBe('100');
    expect(h.run({ k: 'x', final: 'yes' })).toBe('300');
  });
});

describe('same_* and different_* (rule-language.md §5.2, §5.5)', () => {
  it('same_field counts only events with the same value (case-sensitive)', () => {
    const h = harness(X + composite(200, 10, ' frequency="3"', '<same_field>user</same_field>'));
    const users = ['alice', 'bob', 'Alice', 'alice', 'bob', 'alice'];
    expect(users.map((u) => h.run({ k: 'x', user2: u, USER: u }))).toEqual(['100', '100', '100', '100', '100', '200']);
  });

  it('same_field needs the field in both events', () => {
    const h = harness(X + composite(200, 10, '', '<same_field>who</same_field>'));
    expect([h.run({ k: 'x' }), h.run({ k: 'x' })]).toEqual(['100', '100']);
  });

  it('different_field counts only events whose value differs (absent counts as different)', () => {
    const h = harness(X + composite(200, 10, ' frequency="3"', '<different_field>ip</different_field>'));
    // e2 repeats e1's value (not counted); e3 differs from both; e4 then meets e2's mark.
    expect([h.run({ k: 'x', ip: 'a' }), h.run({ k: 'x', ip: 'a' }), h.run({ k: 'x', ip: 'b' }), h.run({ k: 'x' })]).toEqual(['100', '100', '200', '100']);
  });

  it('compares static slots: same_srcip, different_srcip, same_user (dstuser), same_location', () => {
    const same = harness(X + composite(200, 10, '', '<same_srcip />'));
    expect([same.run({ k: 'x', srcip: '1.1.1.1' }), same.run({ k: 'x', srcip: '2.2.2.2' }), same.run({ k: 'x', srcip: '2.2.2.2' })]).toEqual(['100', '100', '200']);
    const diff = harness(X + composite(200, 10, '', '<different_srcip />'));
    expect([diff.run({ k: 'x', srcip: '1.1.1.1' }), diff.run({ k: 'x', srcip: '1.1.1.1' }), diff.run({ k: 'x', srcip: '2.2.2.2' })]).toEqual(['100', '100', '200']);
    const user = harness(X + composite(200, 10, '', '<same_user />'));
    expect([user.run({ k: 'x', srcuser: 'a', dstuser: 'b' }), user.run({ k: 'x', srcuser: 'a', dstuser: 'c' }), user.run({ k: 'x', dstuser: 'c' })]).toEqual(['100', '100', '200']);
    const loc = harness(X + composite(200, 10, '', '<same_location />'));
    expect([loc.run({ k: 'x' }, { location: 'a' }), loc.run({ k: 'x' }, { location: 'b' }), loc.run({ k: 'x' }, { location: 'b' })]).toEqual(['100', '100', '200']);
  });

  it('requires the same agent unless global_frequency is set', () => {
    const local = harness(X + composite(200, 10, ''));
    expect([local.run({ k: 'x' }, { agentId: '001' }), local.run({ k: 'x' }, { agentId: '002' })]).toEqual(['100', '100']);
    const global = harness(X + composite(200, 10, '', '<global_frequency />'));
    expect([global.run({ k: 'x' }, { agentId: '001' }), global.run({ k: 'x' }, { agentId: '002' })]).toEqual(['100', '200']);
  });
});

describe('group and regex composites (rule-language.md §5.1)', () => {
  it('feeds if_matched_group lists from rules in the group, but not from a rule named by if_matched_sid', () => {
    const rules =
      '<rule id="100" level="3"><field name="k">^a$</field><group>auth_fail,</group><description>A</description></rule>' +
      '<rule id="101" level="3"><field name="k">^b$</field><group>auth_fail,</group><description>B</description></rule>' +
      '<rule id="102" level="4"><if_matched_sid>101</if_matched_sid><field name="never">x</field><description>uses 101</description></rule>' +
      '<rule id="200" level="10" frequency="3"><if_matched_group>auth_fail</if_matched_group><description>burst</description></rule>';
    const h = harness(rules);
    // 101 owns sid_list(101), so its events never reach grp_list(200).
    expect([h.run({ k: 'b' }), h.run({ k: 'b' }), h.run({ k: 'b' })]).toEqual(['101', '101', '101']);
    expect([h.run({ k: 'a' }), h.run({ k: 'a' }), h.run({ k: 'a' })]).toEqual(['100', '100', '200']);
  });

  it('searches all remembered events with if_matched_regex, tested on their logs', () => {
    const rules = X + '<rule id="200" level="10"><if_sid>100</if_sid><if_matched_regex>"tag":"old"</if_matched_regex><description>after old</description></rule>';
    const h = harness(rules);
    expect([h.run({ k: 'x', tag: 'new' }), h.run({ k: 'x', tag: 'new' }), h.run({ k: 'x', tag: 'old' }), h.run({ k: 'x', tag: 'new' })]).toEqual(['100', '100', '100', '200']);
  });
});

describe('the event clock', () => {
  const at = (s: number) => ({ eventTimeMs: T0 + s * 1000 });

  it('correlates events by their own time, whatever the wall clock says', () => {
    const h = harness(X + composite(200, 10, ' timeframe="60"'), 'event');
    expect([h.run({ k: 'x' }, at(0)), h.run({ k: 'x' }, at(3600)), h.run({ k: 'x' }, at(3630))]).toEqual(['100', '100', '200']);
  });

  it('counts out-of-order events that fall inside the window', () => {
    const h = harness(X + composite(200, 10, ' frequency="4" timeframe="60"'), 'event');
    expect([h.run({ k: 'x' }, at(10)), h.run({ k: 'x' }, at(30)), h.run({ k: 'x' }, at(20)), h.run({ k: 'x' }, at(25))]).toEqual(['100', '100', '100', '200']);
  });

  it('does not count a late event against events far in its future', () => {
    const h = harness(X + composite(200, 10, ' timeframe="60"'), 'event');
    expect([h.run({ k: 'x' }, at(1000)), h.run({ k: 'x' }, at(0)), h.run({ k: 'x' }, at(30))]).toEqual(['100', '100', '200']);
  });

  it('falls back to the wall clock for events without a time', () => {
    const h = harness(X + composite(200, 10, ' timeframe="60"'), 'event');
    h.at(0);
    h.run({ k: 'x' });
    h.at(1000);
    expect(h.run({ k: 'x' })).toBe('100');
  });
});

describe('memory bound (rule-language.md §5.1, analysisd memory_size)', () => {
  const countOf = (s: CorrelationSnapshot) => (s as unknown as { events: unknown[] }).events.length;

  it(`drops the 10 oldest events once more than ${MEMORY_SIZE} are remembered`, () => {
    const h = harness(X);
    for (let i = 0; i < MEMORY_SIZE; i++) h.run({ k: 'x' });
    expect(countOf(h.session.snapshot())).toBe(MEMORY_SIZE);
    h.run({ k: 'x' });
    const events = (h.session.snapshot() as unknown as { events: Array<{ s: number }> }).events;
    expect(events).toHaveLength(MEMORY_SIZE + 1 - 10);
    expect(events[0]?.s).toBe(10);
  });

  it('keeps dropping events older than the largest frequency − 2 seconds (eventinfo_list.c)', () => {
    const h = harness(X + composite(200, 10, ' frequency="5" timeframe="9999"', '<field name="never">x</field>'));
    h.at(0);
    for (let i = 0; i < MEMORY_SIZE; i++) h.run({ k: 'x' });
    h.at(10);
    h.run({ k: 'x' });
    expect(countOf(h.session.snapshot())).toBe(1);
  });

  it('no longer counts evicted events', () => {
    const rules = X + '<rule id="101" level="3"><field name="k">^z$</field><description>Z</description></rule>' + composite(200, 10, ' frequency="3" timeframe="9999"');
    const kept = harness(rules);
    kept.run({ k: 'x' });
    kept.run({ k: 'x' });
    expect(kept.run({ k: 'x' })).toBe('200');
    const evicted = harness(rules);
    evicted.run({ k: 'x' });
    evicted.run({ k: 'x' });
    // Enough other remembered events to push both X events out of memory.
    for (let i = 0; i < MEMORY_SIZE; i++) evicted.run({ k: 'z' });
    expect(evicted.run({ k: 'x' })).toBe('100');
  });
});

describe('snapshots', () => {
  it('carries a burst across sessions: the composite fires exactly once', () => {
    const rules = X + composite(200, 10, ' frequency="4" timeframe="360"');
    const first = harness(rules);
    expect([first.run({ k: 'x' }), first.run({ k: 'x' })]).toEqual(['100', '100']);
    const saved = JSON.parse(JSON.stringify(first.session.snapshot())) as CorrelationSnapshot;
    const second = harness(rules, 'processing', saved);
    expect([second.run({ k: 'x' }), second.run({ k: 'x' }), second.run({ k: 'x' })]).toEqual(['100', '200', '100']);
    // firedtimes carried over too.
    expect(second.session.evaluate(ev({ k: 'x' }))?.firedtimes).toBe(5);
  });

  it('restores marks, ignore windows and check_diff logs', () => {
    const rules = X + composite(200, 10, ' frequency="3"') + '<rule id="300" level="5" ignore="100"><field name="k">^i$</field><description>I</description></rule><rule id="400" level="5"><field name="k">^d$</field><check_diff /><description>D</description></rule>';
    const first = harness(rules);
    first.run({ k: 'x' });
    first.run({ k: 'x' });
    expect(first.run({ k: 'x' })).toBe('200');
    expect(first.run({ k: 'i' })).toBe('300');
    expect(first.run({ k: 'd', v: 1 })).toBeNull();
    const second = harness(rules, 'processing', JSON.parse(JSON.stringify(first.session.snapshot())) as CorrelationSnapshot);
    expect(second.run({ k: 'x' })).toBe('100'); // e2 carries the mark: C needs two new events
    expect(second.run({ k: 'i' })).toBe('1'); // inside the ignore window: re-attributed to its parent, rule 1
    expect(second.run({ k: 'd', v: 2 })).toBe('400'); // differs from the stored log
  });

  it('drops lists of rules that are no longer loaded', () => {
    const first = harness(X + composite(200, 10, ''));
    first.run({ k: 'x' });
    const other = harness(X, 'processing', first.session.snapshot());
    expect((other.session.snapshot() as unknown as { events: Array<{ in: string[] }> }).events[0]?.in).toEqual([]);
  });

  it('refuses something that is not a snapshot', () => {
    expect(() => harness(X, 'processing', { version: 2 } as unknown as CorrelationSnapshot)).toThrow(/version 1/);
  });
});
