import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import { compileRuleset, loadRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { SessionOptions } from './ruleset.js';
import type { ClockMode } from './types.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/rules');
const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';
const T0 = 1_700_000_000_000;

const ev = (o: unknown, extra: Partial<DecodedEvent> = {}): DecodedEvent => ({ ...decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' }), ...extra });

function compile(rules: string) {
  const result = compileRuleset([{ path: 'r.xml', text: toBytes(`${ROOT}<group name="t,">${rules}</group>`) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result.ruleset;
}

function harness(rules: string, options: Partial<SessionOptions> = {}) {
  const ruleset = compile(rules);
  let now = T0;
  const session = ruleset.newSession({ clock: 'processing', wallClock: { nowMs: () => now }, ...options });
  return {
    ruleset,
    session,
    at(seconds: number) {
      now = T0 + seconds * 1000;
    },
    run: (o: unknown, extra: Partial<DecodedEvent> = {}) => session.evaluate(ev(o, extra)),
    id: (o: unknown, extra: Partial<DecodedEvent> = {}) => session.evaluate(ev(o, extra))?.id ?? null,
  };
}

const rule = (id: number, level: number, body: string, attrs = '') => `<rule id="${id}" level="${level}"${attrs}>${body}<description>r${id}</description></rule>`;

describe('the §2.6 worked example (rule-language.md)', () => {
  const demo = async () => (await loadRuleset({ rules: [FIXTURES] })).newSession({ clock: 'processing' });

  it('lets the level-0 child take service logins away from 100103', async () => {
    const s = await demo();
    expect(s.evaluate(ev({ integration: 'demo', rec: { action: 'Login', who: 'svc-x', result: 'Failure' } }))).toEqual({
      id: '100102',
      level: 0,
      description: 'Service login (ignored)',
      groups: ['demo'],
      firedtimes: 1,
      mail: false,
    });
  });

  it('reports failed logins as 100103 and the 4th one for the same user as 100104', async () => {
    const s = await demo();
    const failed = (who: string) => s.evaluate(ev({ integration: 'demo', rec: { action: 'Login', who, result: 'Failed' } }));
    expect(failed('alice')).toEqual({ id: '100103', level: 6, description: 'Failed login by alice', groups: ['demo', 'login_failed'], firedtimes: 1, mail: false });
    failed('alice');
    failed('bob');
    failed('alice');
    expect(failed('alice')).toEqual({ id: '100104', level: 10, description: 'Repeated failed logins for alice', groups: ['demo'], firedtimes: 1, mail: false, frequency: 4 });
  });

  it('reports a plain login as 100101 with its compliance group', async () => {
    const s = await demo();
    expect(s.evaluate(ev({ integration: 'demo', rec: { action: 'Login', who: 'bob' } }))).toEqual({
      id: '100101',
      level: 3,
      description: 'Login by bob',
      groups: ['demo', 'login'],
      pci_dss: ['10.2.5'],
      firedtimes: 1,
      mail: false,
    });
  });

  it('finds no rule at all for another integration', async () => {
    expect((await demo()).evaluate(ev({ integration: 'other' }))).toBeNull();
  });

  it('prints the path through the tree like wazuh-logtest when asked', async () => {
    const lines: string[] = [];
    (await demo()).evaluate(ev({ integration: 'demo', rec: { action: 'Login', who: 'bob' } }), { explain: (l) => lines.push(l) });
    expect(lines).toEqual([
      'Trying rule: 1 - Generic template for all syslog rules.',
      '   *Rule 1 matched',
      '   *Trying child rules',
      '    Trying rule: 100100 - Demo envelope',
      '       *Rule 100100 matched',
      '       *Trying child rules',
      '        Trying rule: 100101 - Login by $(rec.who)',
      '           *Rule 100101 matched',
      '           *Trying child rules',
      '            Trying rule: 100102 - Service login (ignored)',
      '            Trying rule: 100103 - Failed login by $(rec.who)',
    ]);
  });
});

describe('sibling order and transparency (rule-language.md §2.4)', () => {
  it('returns the deepest rule of the first successful path, not the highest level', () => {
    const h = harness(rule(100, 3, '<field name="a">^1$</field>') + rule(101, 2, '<if_sid>100</if_sid><field name="b">^1$</field>') + rule(200, 12, '<field name="a">^1$</field>'));
    // 200 (level 12) is tried before 100 and wins; without b, 100's child is irrelevant.
    expect(h.id({ a: '1', b: '1' })).toBe('200');
  });

  it('hides later siblings behind an earlier sibling that produces a result', () => {
    const h = harness(rule(100, 5, '<field name="a">^1$</field>') + rule(101, 3, '<field name="a">^1$</field>') + rule(102, 9, '<if_sid>101</if_sid>'));
    expect(h.id({ a: '1' })).toBe('100');
  });

  it('makes a noalert rule a pure gate: when its children fail, the next sibling is tried', () => {
    const h = harness(rule(100, 9, '<field name="a">^1$</field>', ' noalert="1"') + rule(101, 9, '<if_sid>100</if_sid><field name="b">^1$</field>') + rule(102, 3, '<field name="a">^1$</field>'));
    expect(h.id({ a: '1', b: '1' })).toBe('101');
    expect(h.id({ a: '1' })).toBe('102');
  });

  it('treats a level-0 rule as a normal final rule tried before its siblings', () => {
    const h = harness(rule(100, 5, '<field name="a">^1$</field>') + rule(101, 0, '<field name="a">^1$</field><field name="svc">^yes$</field>'));
    expect(h.run({ a: '1', svc: 'yes' })).toMatchObject({ id: '101', level: 0 });
    expect(h.id({ a: '1' })).toBe('100');
  });

  it('counts firedtimes per rule and session, level-0 finals included', () => {
    const h = harness(rule(100, 0, '<field name="a">^1$</field>') + rule(101, 3, '<field name="a">^2$</field>'));
    expect([h.run({ a: '1' })?.firedtimes, h.run({ a: '1' })?.firedtimes, h.run({ a: '2' })?.firedtimes]).toEqual([1, 2, 1]);
  });
});

describe('ignore windows (rule-language.md §2.5)', () => {
  const rules = rule(100, 3, '<field name="a">^1$</field>') + rule(101, 7, '<if_sid>100</if_sid><field name="b">^1$</field>', ' ignore="60"');

  it('analysisd: re-attributes to the parent inside the window; t0 does not move', () => {
    const h = harness(rules);
    h.at(0);
    expect(h.run({ a: '1', b: '1' })).toMatchObject({ id: '101', firedtimes: 1 });
    h.at(30);
    // Parent 100 takes the event; firedtimes stays that of the rule that fired (101).
    expect(h.run({ a: '1', b: '1' })).toMatchObject({ id: '100', firedtimes: 2 });
    h.at(59);
    expect(h.id({ a: '1', b: '1' })).toBe('100');
    h.at(60);
    expect(h.id({ a: '1', b: '1' })).toBe('101');
    h.at(100);
    expect(h.id({ a: '1', b: '1' })).toBe('100'); // the window restarted at 60
  });

  it('logtest: reports the rule inside the window without remembering it; afterwards t0 resets to 0', () => {
    const h = harness(rules, { view: 'logtest' });
    h.at(0);
    expect(h.id({ a: '1', b: '1' })).toBe('101');
    h.at(30);
    expect(h.id({ a: '1', b: '1' })).toBe('101');
    h.at(61);
    expect(h.id({ a: '1', b: '1' })).toBe('101'); // window passed: t0 = 0
    h.at(62);
    expect(h.id({ a: '1', b: '1' })).toBe('101'); // t0 was 0: starts a new window
    h.at(63);
    expect(h.id({ a: '1', b: '1' })).toBe('101');
    // Remembered: the events at 0, 61 and 62; those at 30 and 63 were inside a window.
    expect((h.session.snapshot() as unknown as { events: unknown[] }).events).toHaveLength(3);
  });

  it('logtest: an ignored event is not remembered for correlation', () => {
    const h = harness(rule(100, 5, '<field name="a">^1$</field>', ' ignore="60"') + rule(200, 10, '<if_matched_sid>100</if_matched_sid>'), { view: 'logtest' });
    h.at(0);
    expect(h.id({ a: '1' })).toBe('100'); // starts the window, remembered
    h.at(10);
    expect(h.id({ a: '1' })).toBe('200'); // composite fires (not the ignored rule)
  });

  it('analysisd: the window of a root-level rule re-attributes to rule 1', () => {
    const h = harness(rule(100, 3, '<field name="a">^1$</field>', ' ignore="60"'));
    h.run({ a: '1' });
    expect(h.run({ a: '1' })).toMatchObject({ id: '1', level: 0 });
  });
});

describe('<time> and <weekday> clocks (rule-language.md §3.6)', () => {
  const night = new Date(2024, 0, 1, 23, 30).getTime(); // a Monday, local time
  const noon = new Date(2024, 0, 6, 12, 0).getTime(); // a Saturday

  it('reads the event time under the event clock and the wall clock under the processing clock', () => {
    const rules = rule(100, 5, '<field name="a">^1$</field><time>22:00-06:00</time>') + rule(101, 5, '<field name="a">^2$</field><weekday>weekends</weekday>');
    const run = (clock: ClockMode, wall: number, event: number) => {
      const s = compile(rules).newSession({ clock, wallClock: { nowMs: () => wall } });
      return [s.evaluate(ev({ a: '1' }, { eventTimeMs: event }))?.id ?? null, s.evaluate(ev({ a: '2' }, { eventTimeMs: event }))?.id ?? null];
    };
    expect(run('event', noon, night)).toEqual(['100', null]);
    expect(run('event', night, noon)).toEqual([null, '101']);
    expect(run('processing', night, noon)).toEqual(['100', null]);
  });
});

describe('RuleMatch fields (rule-language.md §9)', () => {
  it('emits mitre, info, cve, frequency for composites and keeps the key order', () => {
    const h = harness(rule(100, 3, '<field name="a">^1$</field>') + rule(200, 12, '<if_matched_sid>100</if_matched_sid><mitre><id>T1110</id></mitre><info>i</info><cve>c</cve><group>pci_dss_8.1,gdpr_IV_32,</group>', ' timeframe="30"'));
    h.run({ a: '1' });
    const m = h.run({ a: '1' });
    expect(m).toEqual({
      id: '200',
      level: 12,
      description: 'r200',
      groups: ['t'],
      pci_dss: ['8.1'],
      gdpr: ['IV_32'],
      mitre: { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] },
      firedtimes: 1,
      mail: true,
      frequency: 2,
      info: 'i',
      cve: 'c',
    });
    expect(Object.keys(m ?? {})).toEqual(['id', 'level', 'description', 'groups', 'pci_dss', 'gdpr', 'mitre', 'firedtimes', 'mail', 'frequency', 'info', 'cve']);
  });
});

describe('isOrderSensitive', () => {
  const rules =
    rule(100, 3, '<field name="a">^x$</field>') +
    rule(101, 3, '<field name="a">^plain$</field>') +
    rule(102, 0, '<field name="a">^zero$</field>') +
    rule(103, 3, '<field name="a">^ign$</field>', ' ignore="10"') +
    rule(104, 3, '<field name="a">^diff$</field><check_diff />') +
    rule(200, 10, '<if_matched_sid>100</if_matched_sid><field name="b">^1$</field>');

  it.each([
    ['an event that reaches a composite whose other conditions pass', { a: 'x', b: '1' }, true],
    ['an event whose final rule feeds a correlation list', { a: 'x' }, true],
    ['an event whose final rule has an ignore window', { a: 'ign' }, true],
    ['an event that reaches a check_diff rule', { a: 'diff' }, true],
    ['a plain alert', { a: 'plain' }, false],
    ['a level-0 final rule', { a: 'zero' }, false],
    ['an event no rule matches', { a: 'none' }, false],
  ])('is %s → %s', (_name, event, expected) => {
    expect(compile(rules).isOrderSensitive(ev(event))).toBe(expected);
  });

  it('reads and writes no state', () => {
    const h = harness(rules);
    for (let i = 0; i < 5; i++) h.ruleset.isOrderSensitive(ev({ a: 'x', b: '1' }));
    expect(h.session.snapshot()).toMatchObject({ events: [] });
    expect([h.id({ a: 'x', b: '1' }), h.id({ a: 'x', b: '1' })]).toEqual(['100', '200']);
  });

  it('is true for every remembered event when some composite searches all events', () => {
    const ruleset = compile(rule(100, 3, '<field name="a">^plain$</field>') + rule(200, 10, '<if_sid>100</if_sid><field name="b">^1$</field><if_matched_regex>x</if_matched_regex>'));
    expect(ruleset.isOrderSensitive(ev({ a: 'plain' }))).toBe(true);
  });
});

describe('indexed and unindexed walks agree', () => {
  it('gives the same final rule with and without explain on a wide sibling list', () => {
    const names = Array.from({ length: 30 }, (_, i) => `Event${i}`);
    const rules =
      rule(100, 0, '<decoded_as>json</decoded_as><field name="src">^aws$</field>', ' noalert="1"') +
      names.map((n, i) => rule(110 + i, 3 + (i % 5), `<if_sid>100</if_sid><field name="name">^${n}$</field>${i % 3 === 0 ? '<field name="ok">^no$</field>' : ''}`)).join('') +
      rule(150, 2, '<if_sid>100</if_sid><field name="name">^Event1</field>');
    const ruleset = compile(rules);
    const a = ruleset.newSession({ clock: 'processing' });
    const b = ruleset.newSession({ clock: 'processing' });
    for (const name of [...names, 'EVENT7', 'event12', 'Event1x', 'none']) {
      for (const ok of ['no', 'yes']) {
        const e = ev({ src: 'aws', name, ok });
        expect(a.evaluate(e)?.id ?? null, `${name}/${ok}`).toBe(b.evaluate(e, { explain: () => {} })?.id ?? null);
      }
    }
  });
});

describe('<check_diff> (dodiff.c)', () => {
  it('matches only when the log differs from the last one stored for the rule and host', () => {
    const h = harness(rule(100, 5, '<field name="a">^1$</field><check_diff />'));
    expect([h.id({ a: '1', v: 'x' }), h.id({ a: '1', v: 'x' }), h.id({ a: '1', v: 'y' }), h.id({ a: '1', v: 'y' }), h.id({ a: '1', v: 'x' })]).toEqual([null, null, '100', null, '100']);
    // Another host has its own last log.
    expect(h.id({ a: '1', v: 'x' }, { hostname: 'other' })).toBeNull();
  });

  it('disables the correlation search of a composite that also has check_diff', () => {
    const h = harness(rule(100, 3, '<field name="a">^1$</field>') + rule(200, 9, '<if_matched_sid>100</if_matched_sid><check_diff />', ' frequency="9"'));
    expect([h.id({ a: '1', n: 1 }), h.id({ a: '1', n: 2 })]).toEqual(['100', '200']);
  });
});
