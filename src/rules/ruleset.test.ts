import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import { compileRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';
const rules = `${ROOT}<group name="t,"><rule id="100" level="3"><field name="a">^1$</field><description>A</description></rule><rule id="200" level="9"><if_matched_sid>100</if_matched_sid><description>C</description></rule></group>`;
const ev = (o: unknown) => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' });

describe('CompiledRuleset', () => {
  const { ruleset } = compileRuleset([{ path: 'r.xml', text: toBytes(rules) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });

  it('counts loaded rules, roots included', () => {
    expect(ruleset.ruleCount).toBe(3);
    expect(ruleset.warnings).toEqual([]);
  });

  it('gives a rule\'s description as written, placeholders unfilled', () => {
    const { ruleset: r } = compileRuleset([{ path: 'r.xml', text: toBytes(`${ROOT}<group name="t,"><rule id="100" level="3"><field name="a">x</field><description>Login by $(a.who)</description></rule></group>`) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
    expect(r.ruleDescription('100')).toBe('Login by $(a.who)');
    expect(r.ruleDescription('999')).toBeUndefined();
  });

  it('gives every session its own correlation state', () => {
    const a = ruleset.newSession({ clock: 'processing' });
    const b = ruleset.newSession({ clock: 'processing' });
    expect(a.evaluate(ev({ a: '1' }))?.id).toBe('100');
    expect(b.evaluate(ev({ a: '1' }))?.id).toBe('100');
    expect(a.evaluate(ev({ a: '1' }))?.id).toBe('200');
  });

  it('uses the injected wall clock by default and lets a session override it', () => {
    const pinned = compileRuleset([{ path: 'r.xml', text: toBytes(rules) }], { resolveList: () => undefined, mitre: shippedMitreCatalog(), wallClock: { nowMs: () => 0 } }).ruleset;
    let now = 0;
    const s = pinned.newSession({ clock: 'processing', wallClock: { nowMs: () => now } });
    s.evaluate(ev({ a: '1' }));
    now = 10_000_000; // far beyond the default 360 s timeframe
    expect(s.evaluate(ev({ a: '1' }))?.id).toBe('100');
  });
});
