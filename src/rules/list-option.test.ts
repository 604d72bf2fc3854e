import { describe, expect, it } from 'vitest';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import { CdbList } from './cdb-lists.js';
import { parseListOption } from './list-option.js';
import { RuleProblems } from './rule-problems.js';
import { readXml } from './xml-reader.js';

const LIST = CdbList.parse('alice:admin\n10.0.:lan\n');
const ev = (o: unknown) => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'host1' });

function option(xml: string) {
  const [el] = readXml(xml);
  const p = new RuleProblems('f.xml');
  const result = parseListOption(el as never, (text) => (text === 'etc/lists/l' ? LIST : undefined), p);
  return { result, problems: p.list.map((x) => x.message) };
}

function check(xml: string) {
  const { result } = option(xml);
  if (typeof result !== 'function') throw new Error(`not a check: ${String(result)}`);
  return (o: unknown) => result(ev(o), { timeOfDay: () => '00:00', weekDay: () => 0, checkDiff: () => false });
}

describe('parseListOption (rule-language.md §6)', () => {
  it('defaults to match_key and reads a dynamic field (first word, any case)', () => {
    const c = check('<list field="Who extra">etc/lists/l</list>');
    expect([c({ who: 'alice' }), c({ who: 'bob' }), c({})]).toEqual([true, false, false]);
  });

  it('reads static slots by name, case-insensitively', () => {
    expect(check('<list field="SRCIP" lookup="address_match_key">etc/lists/l</list>')({ srcip: '10.0.3.4' })).toBe(true);
    expect(check('<list field="hostname" lookup="not_match_key">etc/lists/l</list>')({})).toBe(true);
    expect(check('<list field="program_name" lookup="not_match_key">etc/lists/l</list>')({})).toBe(false);
  });

  it('fails on an absent value even for not_match_key', () => {
    expect(check('<list field="nobody" lookup="not_match_key">etc/lists/l</list>')({})).toBe(false);
  });

  it('uses check_value as an osmatch', () => {
    expect(check('<list field="who" lookup="match_key_value" check_value="ADMIN">etc/lists/l</list>')({ who: 'alice' })).toBe(true);
  });

  it('skips the rule when the list is not loaded', () => {
    expect(option('<list field="who">etc/lists/other</list>').result).toBe('skip');
  });

  it.each([
    ['<list>etc/lists/l</list>', '<list> needs a field attribute.'],
    ['<list lookup="match_key">etc/lists/l</list>', '<list> needs a field attribute.'],
    ['<list field="a" lookup="regex">etc/lists/l</list>', 'Invalid list lookup "regex".'],
    ['<list field="a" check_value="">etc/lists/l</list>', undefined],
    ['<list field="a" kind="x">etc/lists/l</list>', 'Invalid <list> attribute "kind".'],
  ])('%s', (xml, message) => {
    const { result, problems } = option(xml);
    if (message === undefined) {
      expect(typeof result).toBe('function');
    } else {
      expect([result, problems]).toEqual(['fatal', [message]]);
    }
  });
});
