import { describe, expect, it } from 'vitest';
import { parseRuleAttributes } from './rule-attributes.js';
import { RuleProblems } from './rule-problems.js';
import { readXml } from './xml-reader.js';

function parse(attrs: string) {
  const [el] = readXml(`<rule ${attrs}/>`);
  const p = new RuleProblems('f.xml');
  return { attrs: parseRuleAttributes(el as never, p), problems: p.list.map((x) => `${x.severity}: ${x.message}`) };
}

describe('parseRuleAttributes (rule-language.md §1.3, §2.1)', () => {
  it('reads every attribute, attribute names case-insensitively', () => {
    expect(parse('ID="100" Level="5" frequency="8" timeframe="60" ignore="30" maxsize="50" noalert="1" overwrite="no" accuracy="1"').attrs).toEqual({
      id: 100,
      level: 5,
      internalLevel: 500,
      need: 6,
      timeframe: 60,
      ignore: 30,
      maxsize: 50,
      noalert: true,
      overwrite: false,
    });
  });

  it('defaults timeframe to 360, frequency to 2 (need 0) and ranks level 0 as 9900', () => {
    expect(parse('id="1" level="0"').attrs).toMatchObject({ level: 0, internalLevel: 9900, need: 0, timeframe: 360, ignore: 0, maxsize: 0 });
  });

  it('does not scale the level with accuracy="0"', () => {
    expect(parse('id="1" level="7" accuracy="0"').attrs?.internalLevel).toBe(7);
    expect(parse('id="1" level="0" accuracy="0"').attrs?.internalLevel).toBe(99);
  });

  it('reads only the first digits, as sscanf %Nd does', () => {
    expect(parse('id="1" level="1" maxsize="123456" timeframe="0000099" ignore="12345678" accuracy="00000"').attrs).toMatchObject({ maxsize: 1234, timeframe: 0, ignore: 123456 });
  });

  it('stops at the first fatal attribute', () => {
    expect(parse('id="1" level="1" frequency="1" bogus="x"').problems).toEqual(['error: Invalid frequency (2 to 9999) "1".']);
  });
});
