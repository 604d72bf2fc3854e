import { describe, expect, it } from 'vitest';
import { decodeJsonLog, NOT_DECODED } from './decode-json-log.js';

const PRE = { location: 'stdin', hostname: 'wazuh-manager' };

describe('decodeJsonLog', () => {
  it('decodes a JSON line with logtest pre-decoding values', () => {
    const line = '{"integration":"demo","rec":{"Who":"alice","n":1},"srcip":"198.51.100.7"}';
    expect(decodeJsonLog(line, PRE)).toEqual({
      log: line,
      fields: [['integration', 'demo'], ['rec.Who', 'alice'], ['rec.n', '1']],
      fieldIndex: new Map([['integration', 'demo'], ['rec.who', 'alice'], ['rec.n', '1']]),
      statics: { srcip: '198.51.100.7' },
      decoder: 'json',
      location: 'stdin',
      hostname: 'wazuh-manager',
      agentId: '000',
      eventTimeMs: undefined,
    });
  });

  it('keeps the whole line as log while decoding only the first JSON value', () => {
    const event = decodeJsonLog('{"a":1} {"b":2}', PRE);
    expect(event.log).toBe('{"a":1} {"b":2}');
    expect(event.fields).toEqual([['a', '1']]);
  });

  it('leaves a parse failure decoded as json, with no fields', () => {
    const event = decodeJsonLog('{"truncated": ', PRE);
    expect(event).toMatchObject({ decoder: 'json', log: '{"truncated": ', statics: {} });
    expect(event.fields).toEqual([]);
    expect(event.fieldIndex.size).toBe(0);
  });

  it.each([
    ['{"a":1}', 'json'],
    ['{   "a":1}', 'json'],
    ['{}', NOT_DECODED],
    ['{\t"a":1}', NOT_DECODED], // osregex \s is a space only
    [' {"a":1}', NOT_DECODED],
    ['[{"a":1}]', NOT_DECODED],
    ['Jan  1 00:00:00 host sshd[1]: text', NOT_DECODED],
  ])('%j is claimed by decoder %j (prematch ^{\\s*")', (line, decoder) => {
    const event = decodeJsonLog(line, PRE);
    expect(event.decoder).toBe(decoder);
    if (decoder === NOT_DECODED) expect(event.fields).toEqual([]);
  });

  it('carries log, values, location and hostname as UTF-8 byte strings', () => {
    const event = decodeJsonLog('{"who":"José"}', { location: 'stdin', hostname: 'hôte' });
    expect(event.log).toBe('{"who":"Jos\xc3\xa9"}');
    expect(event.fields).toEqual([['who', 'Jos\xc3\xa9']]);
    expect(event.hostname).toBe('h\xc3\xb4te');
  });

  it('ends the line at a raw NUL, as the C string Wazuh receives does', () => {
    const event = decodeJsonLog('{"a":"x"}\0{"b":"y"}', PRE);
    expect(event.log).toBe('{"a":"x"}');
    expect(event.fields).toEqual([['a', 'x']]);
  });
});
