import { describe, expect, it } from 'vitest';
import { IpList } from './ip-list.js';

function list(...entries: string[]): IpList {
  const l = new IpList();
  for (const e of entries) expect(l.add(e), e).toBe(true);
  return l;
}

describe('IpList (rule-language.md §3.4)', () => {
  it.each([
    ['a single host', ['10.0.0.1'], '10.0.0.1', true],
    ['a single host, other address', ['10.0.0.1'], '10.0.0.2', false],
    ['a CIDR', ['10.0.0.0/8'], '10.200.1.1', true],
    ['a CIDR, outside', ['10.0.0.0/8'], '11.0.0.1', false],
    ['a dotted netmask', ['192.168.0.0/255.255.0.0'], '192.168.44.1', true],
    ['/0', ['0.0.0.0/0'], '8.8.8.8', true],
    ['the ::ffff: prefix on an entry', ['::ffff:10.0.0.1'], '10.0.0.1', true],
    ['an IPv6 prefix', ['2001:db8::/32'], '2001:db8:1::5', true],
    ['an IPv6 prefix, outside', ['2001:db8::/32'], '2001:db9::5', false],
    ['a full IPv6 host', ['2001:db8:0:0:0:0:0:1'], '2001:db8::1', true],
    ['any, IPv4', ['any'], '1.2.3.4', true],
    ['any, IPv6', ['any'], '::1', true],
    ['a value that is not an address', ['any'], 'cloudtrail.amazonaws.com', false],
    ['IPv4 against an IPv6 entry (not contained)', ['::/0'], '1.2.3.4', false],
    ['IPv6 against an IPv4 entry (not contained)', ['0.0.0.0/0'], '::1', false],
    ['a value with a leading zero octet (inet_pton refuses it)', ['any'], '010.0.0.1', false],
  ])('%s', (_name, entries, value, expected) => {
    expect(list(...entries).test(value)).toBe(expected);
  });

  it('walks entries in order: the first containing entry returns !neg', () => {
    // `!` seen before the hit flips it.
    expect(list('!10.0.0.0/8', '10.1.0.0/16').test('10.1.2.3')).toBe(false);
    expect(list('10.1.0.0/16', '!10.0.0.0/8').test('10.1.2.3')).toBe(true);
    // No entry contains the value: the result is neg.
    expect(list('!10.0.0.0/8').test('8.8.8.8')).toBe(true);
    expect(list('10.0.0.0/8').test('8.8.8.8')).toBe(false);
  });

  it.each(['10.0.0.256', '10.0.0', '10.0.0.1/33', 'fe80::1%eth0', '1:2:3', 'host', '10.0.0.01', ''])('rejects the entry %j', (entry) => {
    expect(new IpList().add(entry)).toBe(false);
  });
});
