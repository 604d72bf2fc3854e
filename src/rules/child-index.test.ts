import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import { keyedChildren } from './child-index.js';
import { compileRuleset } from './load-rules.js';
import { shippedMitreCatalog } from './mitre.js';
import type { RuleNode } from './rule-tree.js';

const ROOT = '<group name="syslog,"><rule id="1" level="0" noalert="1"><category>syslog</category><description>root</description></rule></group>\n';
const rule = (id: number, level: number, body: string): string => `<rule id="${id}" level="${level}">${body}<description>r${id}</description></rule>`;

function gateOf(rules: string): RuleNode {
  const { ruleset } = compileRuleset([{ path: 'r.xml', text: toBytes(`${ROOT}<group name="t,">${rules}</group>`) }], { resolveList: () => undefined, mitre: shippedMitreCatalog() });
  return ruleset.tree.roots[0]?.children[0] as RuleNode;
}

/** The children the walk tries for `o`: the index's pick and the unkeyed ones, in sibling order. */
function candidates(node: RuleNode, o: unknown): number[] {
  const event = decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'h' });
  const keyed = node.index === undefined ? [] : keyedChildren(node.index, event);
  return [...keyed, ...node.unkeyed].sort((a, b) => a.position - b.position).map((n) => n.state.id);
}

describe('child index', () => {
  const names = ['ConsoleLogin', 'DeleteTrail', 'StopLogging', 'CreateUser', 'PutObject'];
  const node = gateOf(
    rule(100, 0, '<decoded_as>json</decoded_as><match>a</match>') +
      names.map((n, i) => rule(110 + i, 5, `<if_sid>100</if_sid><field name="aws.eventName">^${n}$|^X${i}$</field>`)).join('') +
      rule(120, 4, '<if_sid>100</if_sid><match>anything</match>') +
      rule(121, 4, '<if_sid>100</if_sid><program_name>x</program_name>') +
      rule(122, 6, '<if_sid>100</if_sid><field name="aws.eventName">^DeleteTrail$</field><field name="aws.eventName">^StopLogging$</field>'),
  );

  it('offers only the children that can match the event, in sibling order', () => {
    expect(candidates(node, { aws: { eventName: 'DeleteTrail' } })).toEqual([111, 120]);
    expect(candidates(node, { aws: { eventName: 'deletetrail' } })).toEqual([111, 120]); // osregex literals ignore ASCII case
    expect(candidates(node, { aws: { eventName: 'x3' } })).toEqual([113, 120]);
    expect(candidates(node, { aws: { eventName: 'Other' } })).toEqual([120]);
    expect(candidates(node, {})).toEqual([120]);
  });

  it('leaves out children that can never match a JSON event, or whose requirements contradict', () => {
    expect(node.children.map((n) => n.state.id)).toEqual(expect.arrayContaining([121, 122]));
    expect(candidates(node, { aws: { eventName: 'PutObject' } })).toEqual([114, 120]);
    expect(candidates(node, { aws: { eventName: 'StopLogging' } })).toEqual([112, 120]);
  });

  it('numbers siblings in order', () => {
    expect(node.children.map((n) => n.position)).toEqual(node.children.map((_, i) => i));
  });
});
