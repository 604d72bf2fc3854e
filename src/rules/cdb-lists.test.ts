import { describe, expect, it } from 'vitest';
import { CdbList, compileListLookup, listRelativePath } from './cdb-lists.js';
import { compilePattern } from './patterns/pattern.js';

describe('CdbList.parse (rule-language.md §6 text format)', () => {
  const list = CdbList.parse(
    [
      'TEMPLATE:# comment lines are ordinary keys',
      'ConsoleLogin:Access',
      'ConsoleLogin:second wins nothing',
      ' spaced : kept ',
      'no colon here',
      '',
      '"2001:db8::1":bad',
      'k:va"quoted"lue',
      'open:"unclosed',
      '"open:key',
      'cr:value\rjunk',
      'empty:',
      '"a:b"',
    ].join('\n'),
  );

  it.each([
    ['TEMPLATE', '# comment lines are ordinary keys'],
    ['ConsoleLogin', 'Access'],
    [' spaced ', ' kept '],
    ['2001:db8::1', 'bad'],
    ['k', 'quoted'],
    ['cr', 'value'],
    ['empty', ''],
  ])('reads key %j', (key, value) => {
    expect(list.get(key)).toBe(value);
  });

  it('drops lines without a colon, with an unclosed quote, or a quoted key without a value part', () => {
    expect(list.get('no colon here')).toBeUndefined();
    expect(list.get('open')).toBeUndefined();
    expect(list.get('open:key')).toBeUndefined();
    expect(list.get('a:b')).toBeUndefined();
    expect(list.size).toBe(7);
  });

  it('is exact and case-sensitive', () => {
    expect(list.get('consolelogin')).toBeUndefined();
  });
});

describe('compileListLookup (rule-language.md §6 lookups)', () => {
  const list = CdbList.parse('10.1.:internal\n10.1.2.3:exact\n192.168.:office\nbad:malware\n');
  const check = compilePattern('osmatch', 'malware|internal');

  it.each([
    ['match_key', 'bad', true],
    ['match_key', 'good', false],
    ['not_match_key', 'bad', false],
    ['not_match_key', 'good', true],
    ['address_match_key', '10.1.2.3', true],
    ['address_match_key', '10.1.9.9', true],
    ['address_match_key', '10.2.0.1', false],
    ['not_address_match_key', '10.1.9.9', false],
    ['not_address_match_key', '172.16.0.1', true],
  ] as const)('%s %s → %s', (lookup, value, expected) => {
    expect(compileListLookup(list, lookup, undefined)(value)).toBe(expected);
  });

  it('tries address prefixes longest first', () => {
    const nested = CdbList.parse('10.:wide\n10.1.:narrow\n');
    const lookup = compileListLookup(nested, 'address_match_key_value', compilePattern('osmatch', 'narrow'));
    // The longest prefix (10.1.) is found first; its value matches, so the inverted lookup is false.
    expect(lookup('10.1.5.5')).toBe(false);
    expect(lookup('10.9.5.5')).toBe(true);
  });

  it('match_key_value needs the key and a matching value, and never holds without check_value', () => {
    expect(compileListLookup(list, 'match_key_value', check)('bad')).toBe(true);
    expect(compileListLookup(list, 'match_key_value', compilePattern('osmatch', 'other'))('bad')).toBe(false);
    expect(compileListLookup(list, 'match_key_value', undefined)('bad')).toBe(false);
  });

  it('address_match_key_value is inverted (wazuh#8269)', () => {
    const lookup = compileListLookup(list, 'address_match_key_value', check);
    expect(lookup('10.1.7.7')).toBe(false); // found, value "internal" matches → false
    expect(lookup('192.168.1.1')).toBe(true); // found, value "office" fails → true
    expect(lookup('8.8.8.8')).toBe(true); // not found → true
    expect(compileListLookup(list, 'address_match_key_value', undefined)('10.1.7.7')).toBe(true);
  });
});

describe('listRelativePath', () => {
  it.each([
    ['etc/lists/amazon/aws-eventnames', 'amazon/aws-eventnames'],
    ['etc/lists/amazon/aws-eventnames.cdb', 'amazon/aws-eventnames'],
    ['audit-keys', 'audit-keys'],
  ])('%s → %s', (text, expected) => {
    expect(listRelativePath(text)).toBe(expected);
  });
});
