import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { compileRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { RuleNode } from './rule-tree.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';

function compile(rules: string, root = ROOT) {
  return compileRuleset([{ path: 'r.xml', text: toBytes(`${root}<group name="t,">${rules}</group>`) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
}

const rule = (id: number, level: number, body: string, attrs = ''): string => `<rule id="${id}" level="${level}"${attrs}>${body}<description>r${id}</description></rule>`;

/** The tree as `id(children…)`, e.g. `1(100(101,102))`. */
function shape(nodes: readonly RuleNode[]): string {
  return nodes.map((n) => (n.children.length > 0 ? `${n.state.id}(${shape(n.children)})` : String(n.state.id))).join(',');
}

const treeOf = (rules: string) => shape(compile(rules).ruleset.tree.roots);
const warningsOf = (rules: string) => compile(rules).problems.map((p) => p.message);

describe('attaching rules (rule-language.md §2.3)', () => {
  it('puts rules without parents below the first root of their category', () => {
    expect(treeOf(rule(100, 3, '<match>a</match>'))).toBe('1(100)');
  });

  it('orders siblings by level descending, level 0 first, equal levels in load order', () => {
    const rules = [rule(100, 3, '<match>a</match>'), rule(101, 10, '<if_matched_sid>1</if_matched_sid>', ' frequency="9"'), rule(102, 3, '<match>a</match>'), rule(103, 0, '<match>a</match>'), rule(104, 16, '<match>a</match>')].join('');
    expect(treeOf(rules)).toBe('1(103,104,101,100,102)');
  });

  it('ranks accuracy="0" rules below every scaled level', () => {
    expect(treeOf(rule(100, 3, '<match>a</match>') + rule(101, 15, '<match>a</match>', ' accuracy="0"'))).toBe('1(100,101)');
  });

  it('attaches an if_sid rule below every listed parent', () => {
    expect(treeOf(rule(100, 3, '<match>a</match>') + rule(101, 3, '<match>b</match>') + rule(200, 5, '<if_sid>100, 101</if_sid>'))).toBe('1(100(200),101(200))');
  });

  it('stops at the first node with the id within one sibling list', () => {
    // 200 sits directly below 1 and below 150. When 200 comes first among 1's children the walk
    // stops there and 150's copy of 200 gets no child; when 150 comes first, both copies do.
    const first = rule(150, 3, '<match>a</match>') + rule(200, 5, '<if_sid>1, 150</if_sid>') + rule(300, 5, '<if_sid>200</if_sid>');
    expect(treeOf(first)).toBe('1(200(300),150(200))');
    const second = rule(150, 7, '<match>a</match>') + rule(200, 5, '<if_sid>1, 150</if_sid>') + rule(300, 5, '<if_sid>200</if_sid>');
    expect(treeOf(second)).toBe('1(150(200(300)),200(300))');
  });

  it('concatenates repeated if_sid elements (100 and 200 become 100200)', () => {
    expect(warningsOf(rule(100, 3, '<match>a</match>') + rule(101, 3, '<if_sid>100</if_sid><if_sid>100</if_sid>'))).toEqual([
      'if_sid 100100 is not loaded; the rule is attached to its other parents.',
      'Rule skipped: none of the if_sid rules (100100) is loaded.',
    ]);
  });

  it('attaches with a warning when some if_sid ids are missing, and skips when all are', () => {
    const rules = rule(100, 3, '<match>a</match>') + rule(101, 3, '<if_sid>999, 100</if_sid>') + rule(102, 3, '<if_sid>998</if_sid>') + rule(103, 3, '<if_sid>102</if_sid>');
    expect(treeOf(rules)).toBe('1(100(101))');
    expect(warningsOf(rules)).toEqual([
      'if_sid 999 is not loaded; the rule is attached to its other parents.',
      'if_sid 998 is not loaded; the rule is attached to its other parents.',
      'Rule skipped: none of the if_sid rules (998) is loaded.',
      'if_sid 102 is not loaded; the rule is attached to its other parents.',
      'Rule skipped: none of the if_sid rules (102) is loaded.',
    ]);
  });

  it('also attaches below the category root when if_sid ends with a separator (id 0)', () => {
    expect(treeOf(rule(100, 3, '<match>a</match>') + rule(101, 3, '<if_sid>100,</if_sid>'))).toBe('1(100(101),101)');
  });

  it('skips a composite whose if_sid lists a missing id', () => {
    const rules = rule(100, 3, '<match>a</match>') + rule(101, 8, '<if_sid>999, 100</if_sid><if_matched_sid>100</if_matched_sid>');
    expect(treeOf(rules)).toBe('1(100)');
  });

  it('attaches if_level rules below every rule at or above that level, level 0 (9900) included', () => {
    const rules = rule(100, 0, '<match>a</match>') + rule(101, 5, '<match>b</match>') + rule(102, 3, '<match>c</match>') + rule(200, 2, '<if_level>5</if_level>');
    expect(treeOf(rules)).toBe('1(100(200),101(200),102,200)');
  });

  it('skips if_level 0 and levels no rule reaches', () => {
    const rootless = '<group name="syslog,"><rule id="1" level="3" noalert="1"><category>syslog</category><description>root</description></rule></group>';
    expect(compile(rule(200, 2, '<if_level>9</if_level>'), rootless).problems.map((p) => p.message)).toEqual(['Rule skipped: no loaded rule has level 9 or higher (if_level).']);
    expect(warningsOf(rule(200, 2, '<if_level>0</if_level>'))).toEqual(['Rule skipped: invalid if_level "0".']);
  });

  it('attaches if_group rules below every rule whose group string contains the word', () => {
    const rules =
      '</group><group name="web-log,"><rule id="100" level="3"><match>a</match><description>d</description></rule></group><group name="x,">' +
      rule(101, 3, '<match>b</match>', '') +
      '</group><group name="t,">' +
      rule(200, 4, '<if_group>WEB|^nope</if_group>') +
      rule(201, 4, '<if_group>^t,</if_group>');
    // 200 matches web-log (substring, any case); 201 then matches the group string "t," of 200.
    expect(treeOf(rules)).toBe('1(100(200(201)),101)');
  });

  it('derives the parent of a composite from if_matched_sid, or if_group from if_matched_group first', () => {
    const rules = rule(100, 3, '<match>a</match>') + rule(101, 8, '<if_matched_sid>100</if_matched_sid>') + rule(102, 9, '<if_matched_group>t,</if_matched_group><if_matched_sid>100</if_matched_sid>');
    // 101 hangs below 100; 102 (if_group "t,") below every rule in group t: 100 and 101.
    expect(treeOf(rules)).toBe('1(100(102,101(102)))');
  });

  it('skips a rule whose category has no root', () => {
    expect(warningsOf(rule(100, 3, '<category>firewall</category><match>a</match>'))).toEqual([
      'Rule skipped: no root rule of category firewall is loaded (rule 1 of 0010-rules_config.xml or rules/0010-ctindex_root.xml).',
    ]);
  });

  it('orders roots by level like siblings and makes every id below 10 a root', () => {
    const roots = '<group name="r,"><rule id="2" level="0" noalert="1"><category>firewall</category><description>fw</description></rule><rule id="3" level="5"><if_sid>2</if_sid><description>r3</description></rule></group>';
    expect(shape(compile('', ROOT + roots).ruleset.tree.roots)).toBe('1,2,3');
  });
});

describe('overwrite (rule-language.md §1.6)', () => {
  const base = rule(100, 3, '<match>a</match>') + rule(101, 5, '<match>b</match>') + rule(200, 4, '<if_sid>100</if_sid>');

  it('replaces the definition in place: position, children and lists stay, siblings are not re-sorted', () => {
    const { ruleset } = compile(base + rule(100, 9, '<match>z</match>', ' overwrite="yes"'));
    expect(shape(ruleset.tree.roots)).toBe('1(101,100(200))');
    expect(ruleset.tree.rules.get(100)?.def.level).toBe(9);
  });

  it('keeps the original parents and warns when the overwrite names others', () => {
    const { ruleset, problems } = compile(base + rule(200, 4, '<if_sid>101</if_sid>', ' overwrite="yes"'));
    expect(shape(ruleset.tree.roots)).toBe('1(101,100(200))');
    expect(problems.map((p) => p.message)).toEqual(['overwrite cannot change if_sid; the original is kept.']);
  });

  it('leaves the original unchanged when the overwriting rule is skipped', () => {
    const { ruleset } = compile(base + rule(100, 9, '<list field="a">etc/lists/none</list>', ' overwrite="yes"'));
    expect(ruleset.tree.rules.get(100)?.def.level).toBe(3);
  });
});

describe('correlation wiring (rule-language.md §5.1)', () => {
  it('gives a rule named by if_matched_sid one list shared by every composite naming it', () => {
    const { ruleset } = compile(rule(100, 3, '<match>a</match>') + rule(101, 8, '<if_matched_sid>100</if_matched_sid>') + rule(102, 9, '<if_matched_sid>100</if_matched_sid><if_sid>100</if_sid>'));
    const rules = ruleset.tree.rules;
    expect(ruleset.tree.lists).toEqual(['sid:100']);
    expect(rules.get(101)?.search).toEqual({ kind: 'sid', list: 0 });
    expect(rules.get(102)?.search).toEqual({ kind: 'sid', list: 0 });
    expect(rules.get(100)?.ownList).toBe(0);
  });

  it('feeds a group list from every place of every earlier matching rule, not from later ones', () => {
    const rules =
      rule(100, 3, '<match>a</match><group>fail,</group>') +
      rule(101, 3, '<match>b</match><group>fail,</group>') +
      rule(150, 4, '<if_sid>100, 101</if_sid><group>fail,</group>') +
      rule(300, 9, '<if_matched_group>fail</if_matched_group>') +
      rule(400, 3, '<match>c</match><group>fail,</group>');
    const { ruleset } = compile(rules);
    const r = ruleset.tree.rules;
    expect(ruleset.tree.lists).toEqual(['grp:300']);
    expect(r.get(300)?.search).toEqual({ kind: 'group', list: 0 });
    expect(r.get(150)?.feeds).toEqual([0, 0]); // two places, fed twice (as in Wazuh)
    expect(r.get(100)?.feeds).toEqual([0]);
    expect(r.get(400)?.feeds).toEqual([]);
  });

  it('gives if_matched_regex composites the global event search; check_diff alone searches nothing', () => {
    const { ruleset } = compile(rule(100, 3, '<match>a</match>') + rule(101, 8, '<if_matched_regex>x</if_matched_regex>') + rule(102, 3, '<check_diff />'));
    expect(ruleset.tree.rules.get(101)?.search).toEqual({ kind: 'events' });
    expect(ruleset.tree.rules.get(102)?.search).toBeUndefined();
    expect(ruleset.tree.searchesEvents).toBe(true);
  });

  it('skips a composite whose if_matched_sid target is not loaded', () => {
    expect(warningsOf(rule(101, 8, '<if_sid>1</if_sid><if_matched_sid>999</if_matched_sid>'))).toEqual(['Rule skipped: if_matched_sid 999 is not loaded.']);
  });
});

describe('wiring happens only for rules that load', () => {
  it('does not give a rule a sid list when the composite naming it is skipped', () => {
    const rules =
      rule(100, 3, '<match>a</match><group>fail,</group>') +
      rule(101, 8, '<if_sid>999</if_sid><if_matched_sid>100</if_matched_sid>') + // skipped: if_sid 999 missing
      rule(300, 9, '<if_matched_group>fail</if_matched_group>');
    const { ruleset } = compile(rules);
    const r = ruleset.tree.rules;
    expect(r.get(100)?.ownList).toBeUndefined();
    expect(r.get(100)?.feeds).toEqual([0]);
    expect(ruleset.tree.lists).toEqual(['grp:300']);
  });
});
