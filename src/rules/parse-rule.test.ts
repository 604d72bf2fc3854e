import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import { CdbList } from './cdb-lists.js';
import { compileRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import { parseRule } from './parse-rule.js';
import type { RuleMatch, RuleProblem } from './types.js';
import { readXml } from './xml-reader.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';
const LISTS: Record<string, string> = { 'etc/lists/names': 'alice:admin\nbob:user\n' };

function compile(xml: string) {
  return compileRuleset([{ path: 'r.xml', text: toBytes(ROOT + xml) }], {
    resolveList: (t) => (LISTS[t] !== undefined ? CdbList.parse(LISTS[t]) : undefined),
    mitre: shippedMitreCatalog(),
  });
}

const ev = (o: unknown): DecodedEvent => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'host-a' });

/** One rule 100 (level 5) with `body`, evaluated on `event`: its id or null. */
function fires(body: string, event: DecodedEvent, attrs = ''): string | null {
  const { ruleset, problems } = compile(`<group name="t,"><rule id="100" level="5"${attrs}>${body}<description>d</description></rule></group>`);
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return ruleset.newSession({ clock: 'processing' }).evaluate(event)?.id ?? null;
}

function match(body: string, event: DecodedEvent, attrs = ''): RuleMatch | null {
  const { ruleset } = compile(`<group name="t,"><rule id="100" level="5"${attrs}>${body}<description>d</description></rule></group>`);
  return ruleset.newSession({ clock: 'processing' }).evaluate(event);
}

function problemsOf(rule: string): RuleProblem[] {
  return [...compile(`<group name="t,">${rule}</group>`).problems];
}

const errors = (rule: string): string[] => problemsOf(rule).filter((p) => p.severity === 'error').map((p) => p.message);
const warnings = (rule: string): string[] => problemsOf(rule).filter((p) => p.severity === 'warning').map((p) => p.message);

describe('static-field options (rule-language.md §3.1)', () => {
  const full = ev({ srcip: '10.0.0.1', dstip: '10.0.0.2', srcport: '1234', dstport: '443', protocol: 'TCP', action: 'Login', srcuser: 'alice', dstuser: 'bob', id: '4625', status: 'failed', url: '/x', data: 'dd', extra_data: 'ee', systemname: 'sys' });
  it.each([
    ['match', '"Login"', 'nothere'],
    ['regex', '\\d\\d\\d\\d', 'zzzzzz\\d\\d\\d\\d\\d\\d\\d'],
    ['id', '^4625$', '^1$'],
    ['url', '/x', '/y'],
    ['status', 'fail', 'ok'],
    ['protocol', 'tcp', 'udp'],
    ['system_name', 'sys', 'other'],
    ['data', 'dd', 'zz'],
    ['extra_data', 'ee', 'zz'],
    ['srcport', '1234', '80'],
    ['dstport', '^443$', '^80$'],
    ['hostname', 'host-a', 'host-b'],
    ['location', '^stdin$', 'Wazuh-AWS'],
    ['user', '^bob$', '^alice$'], // dstuser when present; srcuser is not tried
    ['action', 'Login', 'login'], // string type: exact and case-sensitive
  ])('<%s> tests its value', (el, yes, no) => {
    expect(fires(`<${el}>${yes}</${el}>`, full)).toBe('100');
    expect(fires(`<${el}>${no}</${el}>`, full)).toBeNull();
    expect(fires(`<${el} negate="yes">${no}</${el}>`, full)).toBe('100');
  });

  it.each(['id', 'url', 'status', 'protocol', 'system_name', 'data', 'extra_data', 'srcport', 'dstport', 'action', 'user'])(
    '<%s> fails on an absent value even with negate="yes"',
    (el) => {
      expect(fires(`<${el} negate="yes">zzz</${el}>`, ev({ other: 1 }))).toBeNull();
    },
  );

  it('<user> falls back to srcuser only when dstuser is absent', () => {
    expect(fires('<user>^alice$</user>', ev({ srcuser: 'alice' }))).toBe('100');
  });

  it('<program_name>, <srcgeoip>, <dstgeoip> and <if_fts> never hold for JSON events', () => {
    for (const body of ['<program_name negate="yes">x</program_name>', '<srcgeoip negate="yes">x</srcgeoip>', '<dstgeoip negate="yes">x</dstgeoip>', '<if_fts />']) {
      expect(fires(body, full)).toBeNull();
    }
  });

  it('switches the pattern type with type=, case-insensitively', () => {
    expect(fires('<action type="OSMATCH">login</action>', full)).toBe('100');
    expect(fires('<match type="pcre2">"action":"L\\w+"</match>', full)).toBe('100');
    expect(fires('<match type="osregex">"action":"L\\w+"</match>', full)).toBe('100');
  });

  it('warns about an unknown type and keeps the default (string is not accepted)', () => {
    expect(warnings('<rule id="100" level="5"><action type="string">Login</action><description>d</description></rule>')).toEqual([
      'Invalid value "string" for type (expected osmatch, osregex or pcre2); using string.',
    ]);
  });

  it('warns about an invalid negate value and treats it as no', () => {
    expect(warnings('<rule id="100" level="5"><match negate="maybe">x</match><description>d</description></rule>')).toHaveLength(1);
    expect(fires('<match negate="maybe">"Login"</match>', full)).toBe('100');
  });

  it('concatenates repeated texts with no separator; the last negate/type wins', () => {
    expect(fires('<match>"act</match><match>ion"</match>', full)).toBe('100');
  });

  it('applies the last negate to the concatenated pattern', () => {
    expect(fires('<match>zz</match><match negate="yes">z</match>', full)).toBe('100');
    expect(fires('<match negate="yes">zz</match><match>z</match>', full)).toBeNull();
  });

  it('<maxsize> (attribute) needs the log to be at least that long', () => {
    const e = ev({ a: 'x' }); // {"a":"x"} is 9 bytes
    expect(fires('<match>a</match>', e, ' maxsize="9"')).toBe('100');
    expect(fires('<match>a</match>', e, ' maxsize="10"')).toBeNull();
  });
});

describe('<field> (§3.3)', () => {
  it('is osregex by default, looked up case-insensitively, and all fields must pass', () => {
    const e = ev({ aws: { eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' } });
    expect(fires('<field name="AWS.EVENTNAME">^Delete\\w+$</field><field name="aws.eventSource">^cloudtrail.</field>', e)).toBe('100');
    expect(fires('<field name="aws.eventName">^Delete</field><field name="aws.eventName">Create</field>', e)).toBeNull();
  });

  it('fails on an absent field even with negate', () => {
    expect(fires('<field name="aws.eventName" negate="yes">^Describe</field>', ev({}))).toBeNull();
  });

  it('treats an empty JSON string as present and null as "null"', () => {
    expect(fires('<field name="a">^$</field>', ev({ a: '' }))).toBe('100');
    expect(fires('<field name="a">\\.+</field>', ev({ a: null }))).toBe('100');
  });

  it.each(['srcip', 'USER', 'system_name', 'action'])('refuses name="%s" (a static field)', (name) => {
    expect(errors(`<rule id="100" level="5"><field name="${name}">x</field><description>d</description></rule>`)[0]).toMatch(/static field/);
  });

  it('refuses a field without a name and more than 256 fields', () => {
    expect(errors('<rule id="100" level="5"><field>x</field><description>d</description></rule>')).toEqual(['<field> without a name attribute.']);
    const many = '<field name="a">x</field>'.repeat(257);
    expect(errors(`<rule id="100" level="5">${many}<description>d</description></rule>`)).toEqual(['More than 256 <field> conditions.']);
  });

  it('refuses a pattern that does not compile', () => {
    expect(errors('<rule id="100" level="5"><field name="a">(x</field><description>d</description></rule>')[0]).toMatch(/Invalid osregex pattern/);
    expect(errors('<rule id="100" level="5"><match type="pcre2">(x</match><description>d</description></rule>')[0]).toMatch(/Invalid pcre2 pattern in <match>/);
  });
});

describe('addresses, lists, time (§3.4, §3.6, §6)', () => {
  it('<srcip>/<dstip> entries are OR-ed; negate applies on top', () => {
    const e = ev({ srcip: '10.1.2.3', dstip: '8.8.8.8' });
    expect(fires('<srcip>192.168.0.0/16</srcip><srcip>10.0.0.0/8</srcip>', e)).toBe('100');
    expect(fires('<dstip negate="yes">10.0.0.0/8</dstip>', e)).toBe('100');
    expect(fires('<srcip negate="yes">10.0.0.0/8</srcip>', ev({ srcip: 'not-an-ip' }))).toBe('100');
    expect(errors('<rule id="100" level="5"><srcip>10.0.0.0/40</srcip><description>d</description></rule>')).toEqual(['Invalid IP address "10.0.0.0/40".']);
  });

  it('<list> looks up static and dynamic fields; user is srcuser first', () => {
    expect(fires('<list field="user" lookup="match_key">etc/lists/names</list>', ev({ srcuser: 'alice', dstuser: 'zed' }))).toBe('100');
    expect(fires('<list field=" who extra" lookup="match_key_value" check_value="^admin$">etc/lists/names</list>', ev({ who: 'alice' }))).toBe('100');
    expect(fires('<list field="who" lookup="not_match_key">etc/lists/names</list>', ev({}))).toBeNull();
  });

  it('<list> attribute errors are fatal; a missing list skips the rule', () => {
    expect(errors('<rule id="100" level="5"><list lookup="nope" field="a">etc/lists/names</list><description>d</description></rule>')).toEqual(['Invalid list lookup "nope".']);
    expect(errors('<rule id="100" level="5"><list lookup="match_key">etc/lists/names</list><description>d</description></rule>')).toEqual(['<list> needs a field attribute.']);
    expect(errors('<rule id="100" level="5"><list field="a" foo="1">etc/lists/names</list><description>d</description></rule>')).toEqual(['Invalid <list> attribute "foo".']);
    expect(warnings('<rule id="100" level="5"><list field="a">etc/lists/missing</list><description>d</description></rule>')).toEqual([
      'Rule skipped: list "etc/lists/missing" is not loaded (use --lists DIR).',
    ]);
  });

  it('<time> and <weekday> must parse', () => {
    expect(errors('<rule id="100" level="5"><time>25:00-26:00</time><description>d</description></rule>')).toEqual(['Invalid time "25:00-26:00".']);
    expect(errors('<rule id="100" level="5"><weekday>!monday</weekday><description>d</description></rule>')).toEqual(['Invalid weekday "!monday".']);
  });
});

describe('rule attributes (§1.3)', () => {
  it.each([
    ['id="abc" level="3"', /Invalid rule id/],
    ['id="1234567" level="3"', /Invalid rule id/],
    ['id="100" level="17"', /Invalid level/],
    ['id="100" level="x"', /No rule id or level/],
    ['level="3"', /No rule id or level/],
    ['id="100" level="3" frequency="1"', /Invalid frequency/],
    ['id="100" level="3" frequency="10000"', /Invalid frequency/],
    ['id="100" level="3" timeframe="x"', /Invalid timeframe/],
    ['id="100" level="3" ignore="-1"', /Invalid ignore/],
    ['id="100" level="3" maxsize="x"', /Invalid maxsize/],
    ['id="100" level="3" accuracy="x"', /Invalid accuracy/],
    ['id="100" level="3" overwrite="YES"', /Invalid overwrite/],
    ['id="100" level="3" colour="red"', /Invalid rule attribute "colour"/],
    ['', /must have an id and a level/],
  ])('<rule %s> is fatal', (attrs, message) => {
    expect(errors(`<rule ${attrs}><match>x</match><description>d</description></rule>`)[0]).toMatch(message);
  });

  it('warns about an invalid noalert and treats it as 0', () => {
    expect(warnings('<rule id="100" level="3" noalert="yes"><match>x</match><description>d</description></rule>')).toEqual([
      'Invalid value "yes" for noalert (expected 0 or 1); treated as 0.',
    ]);
  });

  it('reads only the first digits of timeframe and ignore, as sscanf does', () => {
    const xml = '<group name="t,"><rule id="100" level="3" timeframe="1234567" ignore="12345678"><match>x</match><description>d</description></rule></group>';
    const def = compile(xml).ruleset.tree.rules.get(100)?.def;
    expect([def?.timeframe, def?.ignore]).toEqual([12345, 123456]);
  });
});

describe('text options (§1.4, §1.5, §9)', () => {
  it('builds the group string from the wrapper name and <group> texts, newlines removed', () => {
    const { ruleset } = compile('<group name="qa,test"><rule id="100" level="3"><match>x</match><group>x,\npci_dss_1,</group><description>d</description></rule></group>');
    expect(ruleset.tree.rules.get(100)?.def.groupString).toBe('qa,testx,pci_dss_1,');
  });

  it('turns only the first newline of each <description> into a space and concatenates', () => {
    const m = match('<match>a</match><description>b\nc\nd</description>', ev({ a: 1 }));
    expect(m?.description).toBe('b c\ndd');
  });

  it('requires a description', () => {
    expect(errors('<rule id="100" level="3"><match>x</match></rule>')).toEqual(['Rule without a <description>.']);
  });

  it('reports info and cve, concatenated', () => {
    const m = match('<match>a</match><info type="link">https://x</info><info>/y</info><cve>CVE-1</cve>', ev({ a: 1 }));
    expect([m?.info, m?.cve]).toEqual(['https://x/y', 'CVE-1']);
  });

  it('sets mail from the level (12) and the email options, in order', () => {
    expect(match('<match>a</match>', ev({ a: 1 }))?.mail).toBe(false);
    expect(match('<match>a</match><options>alert_by_email</options>', ev({ a: 1 }))?.mail).toBe(true);
    expect(match('<match>a</match><options>alert_by_email</options><options>no_email_alert</options>', ev({ a: 1 }))?.mail).toBe(false);
    const { ruleset } = compile('<group name="t,"><rule id="100" level="12"><match>a</match><description>d</description></rule></group>');
    expect(ruleset.newSession({ clock: 'processing' }).evaluate(ev({ a: 1 }))?.mail).toBe(true);
  });

  it('leaves firedtimes out with no_counter', () => {
    expect(match('<match>a</match><options>no_counter</options>', ev({ a: 1 }))).not.toHaveProperty('firedtimes');
    expect(match('<match>a</match><options>no_log</options><options>no_full_log</options><options>no_ar</options><options>log_alert</options>', ev({ a: 1 }))?.firedtimes).toBe(1);
  });

  it('refuses unknown options, ignore lists with empty words, unknown compiled rules, categories and decoders', () => {
    expect(errors('<rule id="100" level="3"><options>no_mail</options><description>d</description></rule>')).toEqual(['Invalid <options> value "no_mail".']);
    expect(errors('<rule id="100" level="3"><ignore>srcip,,user</ignore><description>d</description></rule>')).toEqual(['Wrong ignore option "srcip,,user".']);
    expect(errors('<rule id="100" level="3"><check_if_ignored>srcip</check_if_ignored><description>d</description></rule>')).toEqual([]);
    expect(errors('<rule id="100" level="3"><compiled_rule>nope</compiled_rule><description>d</description></rule>')).toEqual(['Compiled rule not found: "nope".']);
    expect(errors('<rule id="100" level="3"><category>Syslog</category><description>d</description></rule>')).toEqual(['Invalid category "Syslog".']);
    expect(errors('<rule id="100" level="3"><decoded_as></decoded_as><description>d</description></rule>')).toEqual(['Invalid decoder name "".']);
  });

  it.each(['srcuser', 'dstuser', 'frobnicate'])('refuses <%s> as an unknown option', (el) => {
    expect(errors(`<rule id="100" level="3"><${el}>x</${el}><description>d</description></rule>`)).toEqual([`Invalid option <${el}>.`]);
  });

  it('compares some option names case-sensitively, like rules.c', () => {
    expect(errors('<rule id="100" level="3" frequency="3"><if_matched_sid>1</if_matched_sid><SAME_ID /><description>d</description></rule>')).toEqual(['Invalid option <SAME_ID>.']);
    expect(errors('<rule id="100" level="3" frequency="3"><if_matched_sid>1</if_matched_sid><SAME_SOURCE_IP /><description>d</description></rule>')).toEqual([]);
  });

  it('warns about deprecated same_agent and ignored attributes', () => {
    expect(warnings('<rule id="100" level="3"><if_matched_sid>1</if_matched_sid><same_agent /><match foo="1">x</match><description>d</description></rule>')).toEqual([
      '<same_agent> is deprecated and ignored.',
      'Attribute "foo" is not supported on <match> and is ignored.',
    ]);
  });

  it('refuses frequency, same_*, different_* and global_frequency without if_matched_* (frequency 2 is allowed)', () => {
    const needs = /need if_matched_sid/;
    expect(errors('<rule id="100" level="3" frequency="3"><match>x</match><description>d</description></rule>')[0]).toMatch(needs);
    expect(errors('<rule id="100" level="3"><same_srcip /><description>d</description></rule>')[0]).toMatch(needs);
    expect(errors('<rule id="100" level="3"><different_field>a</different_field><description>d</description></rule>')[0]).toMatch(needs);
    expect(errors('<rule id="100" level="3"><global_frequency /><description>d</description></rule>')[0]).toMatch(needs);
    expect(errors('<rule id="100" level="3" frequency="2"><match>x</match><description>d</description></rule>')).toEqual([]);
    expect(errors('<rule id="100" level="3" frequency="5"><check_diff /><description>d</description></rule>')).toEqual([]);
  });
});

describe('skipped rules (§1.7)', () => {
  it.each([
    ['an if_sid that is not digits, commas and spaces', '<if_sid>1|2</if_sid>', 'Rule skipped: invalid if_sid "1|2".'],
    ['an empty if_sid', '<if_sid></if_sid>', 'Rule skipped: invalid if_sid "".'],
    ['a non-numeric if_level', '<if_level>high</if_level>', 'Rule skipped: invalid if_level "high".'],
    ['a non-numeric if_matched_sid', '<if_matched_sid>x</if_matched_sid>', 'Rule skipped: invalid if_matched_sid "x".'],
  ])('skips %s', (_name, body, message) => {
    expect(warnings(`<rule id="100" level="3">${body}<description>d</description></rule>`)).toEqual([message]);
  });

  it('skips a duplicate id before reading its options', () => {
    const rules = '<rule id="100" level="3"><match>a</match><description>d</description></rule><rule id="100" level="4"><bogus/><description>d</description></rule>';
    expect(problemsOf(rules).map((p) => p.message)).toEqual(['Rule skipped: duplicate rule id 100 (use overwrite="yes" to replace it).']);
  });

  it('loads overwrite="yes" of a missing rule as a new rule, with a warning', () => {
    expect(warnings('<rule id="100" level="3" overwrite="yes"><match>a</match><description>d</description></rule>')).toEqual([
      'overwrite="yes" but rule 100 does not exist yet; loaded as a new rule.',
    ]);
  });

  it('locates problems at file, line and rule', () => {
    const [p] = problemsOf('\n<rule id="100" level="3">\n<bogus/><description>d</description></rule>');
    // Line 1 is the root rule, line 2 the group.
    expect(p).toEqual({ severity: 'error', file: 'r.xml', line: 4, ruleId: '100', message: 'Invalid option <bogus>.' });
  });
});

describe('<mitre> (§1.4, §9)', () => {
  const mitreOf = (blocks: string) => match(`<match>a</match>${blocks}`, ev({ a: 1 }))?.mitre;

  it('accumulates old-form ids without duplicates', () => {
    expect(mitreOf('<mitre><id>T1110</id><id>T1078</id></mitre><mitre><id>T1110</id></mitre>')).toEqual({
      id: ['T1110', 'T1078'],
      tactic: ['Credential Access', 'Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'],
      technique: ['Brute Force', 'Valid Accounts'],
    });
  });

  it('lets a new-form block discard earlier old-form ids', () => {
    expect(mitreOf('<mitre><id>T1110</id></mitre><mitre><tacticID>TA0001</tacticID><techniqueID>T1078</techniqueID></mitre>')).toEqual({
      id: ['T1078'],
      tactic: ['Initial Access'],
      technique: ['Valid Accounts'],
    });
  });

  it('discards a block that mixes forms or has two techniques, with a warning', () => {
    expect(mitreOf('<mitre><id>T1110</id><tacticID>TA0006</tacticID></mitre>')).toBeUndefined();
    expect(warnings('<rule id="100" level="3"><match>a</match><mitre><tacticID>TA0006</tacticID><techniqueID>T1110</techniqueID><techniqueID>T1078</techniqueID></mitre><description>d</description></rule>')).toHaveLength(1);
    expect(warnings('<rule id="100" level="3"><match>a</match><mitre></mitre><description>d</description></rule>')).toEqual(['Empty <mitre> block.']);
  });
});

describe('parseRule directly', () => {
  it('reports a rule with no options as fatal', () => {
    const [rule] = readXml('<rule id="100" level="3"></rule>');
    const parsed = parseRule(rule as never, 'g,', 'f.xml', { isLoaded: () => false, resolveList: () => undefined, mitre: shippedMitreCatalog() });
    expect(parsed.outcome).toBe('fatal');
    expect(parsed.problems.map((p) => p.message)).toEqual(['Rule without any option.']);
  });
});

describe('option names that are also Object.prototype members', () => {
  it.each(['toString', 'hasOwnProperty', 'valueOf'])('reports <%s> as an unknown option', (el) => {
    const { problems } = compileRuleset([{ path: 'r.xml', text: toBytes(`<group name="t,"><rule id="100" level="3"><${el} a="1">x</${el}><description>d</description></rule></group>`) }], {
      resolveList: () => undefined,
      mitre: shippedMitreCatalog(),
    });
    // (fast-xml-parser renames such tags, e.g. to __toString; either way the option is unknown.)
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^Invalid option <(__)?${el}>\\.$`))]);
  });
});

describe('correlation options (rule-language.md §5.5)', () => {
  const defOf = (body: string) => compile(`<group name="t,"><rule id="100" level="3"><match>a</match><description>d</description></rule><rule id="200" level="9"><if_matched_sid>100</if_matched_sid>${body}<description>d</description></rule></group>`).ruleset.tree.rules.get(200)?.def;

  it.each([
    ['same_source_ip', 'srcip'], ['same_srcip', 'srcip'], ['same_dstip', 'dstip'], ['same_src_port', 'srcport'], ['same_srcport', 'srcport'],
    ['same_dst_port', 'dstport'], ['same_dstport', 'dstport'], ['same_protocol', 'protocol'], ['same_action', 'action'], ['same_id', 'id'],
    ['same_url', 'url'], ['same_data', 'data'], ['same_extra_data', 'extra_data'], ['same_status', 'status'], ['same_system_name', 'system_name'],
    ['same_srcgeoip', 'srcgeoip'], ['same_dstgeoip', 'dstgeoip'], ['same_location', 'location'], ['same_srcuser', 'srcuser'], ['same_user', 'dstuser'],
  ])('<%s /> compares %s', (el, slot) => {
    expect(defOf(`<${el} />`)?.same.slots).toEqual([slot]);
  });

  it.each([
    ['different_url', 'url'], ['different_srcip', 'srcip'], ['not_same_source_ip', 'srcip'], ['different_srcgeoip', 'srcgeoip'], ['different_dstip', 'dstip'],
    ['different_src_port', 'srcport'], ['different_srcport', 'srcport'], ['different_dst_port', 'dstport'], ['different_dstport', 'dstport'],
    ['different_location', 'location'], ['different_protocol', 'protocol'], ['different_action', 'action'], ['different_srcuser', 'srcuser'],
    ['different_user', 'dstuser'], ['not_same_user', 'dstuser'], ['different_id', 'id'], ['not_same_id', 'id'], ['different_data', 'data'],
    ['different_extra_data', 'extra_data'], ['different_status', 'status'], ['different_system_name', 'system_name'], ['different_dstgeoip', 'dstgeoip'],
  ])('<%s /> compares %s', (el, slot) => {
    expect(defOf(`<${el} />`)?.different.slots).toEqual([slot]);
  });

  it('lists same_field and different_field/not_same_field names, lower-cased', () => {
    const def = defOf('<same_field>Aws.Who</same_field><same_field>ip</same_field><different_field>A</different_field><not_same_field>b</not_same_field><global_frequency />');
    expect([def?.same.fields, def?.different.fields, def?.globalFrequency]).toEqual([['aws.who', 'ip'], ['a', 'b'], true]);
  });
});

describe('<compiled_rule>', () => {
  it('runs the named function as a condition', () => {
    expect(fires('<compiled_rule>comp_srcuser_dstuser</compiled_rule>', ev({ srcuser: 'a', dstuser: 'a' }))).toBe('100');
    expect(fires('<compiled_rule>comp_srcuser_dstuser</compiled_rule>', ev({ srcuser: 'a', dstuser: 'b' }))).toBeNull();
  });
});
