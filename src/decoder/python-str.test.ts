import { describe, expect, it } from 'vitest';
import { pythonStr } from './python-str.js';

// Expected values are `str(json.loads(text))` printed by CPython 3.11.
const CASES: ReadonlyArray<readonly [json: string, str: string]> = [
  ['["a", "b"]', "['a', 'b']"],
  ['"plain"', 'plain'],
  ['true', 'True'],
  ['false', 'False'],
  ['5', '5'],
  ['-0', '0'],
  ['1.5', '1.5'],
  ['1e-5', '1e-05'],
  ['0.0001', '0.0001'],
  ['123456789.125', '123456789.125'],
  ['-2.5e-7', '-2.5e-07'],
  ['1.5e-16', '1.5e-16'],
  ['4503599627370495.5', '4503599627370495.5'],
  ['[1, 2.5, null, true, "x"]', "[1, 2.5, None, True, 'x']"],
  ['[{"k": "v", "n": [1, {}]}, []]', "[{'k': 'v', 'n': [1, {}]}, []]"],
  [
    '["it\'s", "say \\"hi\\"", "both \' and \\"", "back\\\\slash", "tab\\tnl\\ncr\\r", "\\u0001\\u007f"]',
    `["it's", 'say "hi"', 'both \\' and "', 'back\\\\slash', 'tab\\tnl\\ncr\\r', '\\x01\\x7f']`,
  ],
  [
    '["caf\\u00e9", "\\u00a0nbsp", "\\u200bzw", "\\ud83d\\ude00", "\\ue000pua", "\\u0378unassigned"]',
    "['café', '\\xa0nbsp', '\\u200bzw', '😀', '\\ue000pua', '\\u0378unassigned']",
  ],
];

describe('pythonStr', () => {
  it.each(CASES)('str(%s) is %s', (json, str) => {
    expect(pythonStr(JSON.parse(json))).toBe(str);
  });

  it('prints integral numbers as Python ints, since JSON.parse cannot tell 1.0 from 1', () => {
    // CPython prints `100.0` and `1e+16` for the float literals; after JSON.parse they are ints.
    expect(pythonStr(JSON.parse('[100.0, 1e16]'))).toBe('[100, 10000000000000000]');
  });
});
