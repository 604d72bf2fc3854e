import { describe, expect, it } from 'vitest';
import { bytesAsIs, JsonObject, parseJsonText, printCjsonArray, utf16ToCString, type JsonValue } from './json-text.js';

// Behaviour here was cross-checked against libcjson (1.7.15) on the cases below and on 20,000
// fuzzed lines; the one difference (`-0` in arrays) is a cJSON version change, see printCjsonArray.

function parsed(text: string): JsonValue {
  const result = parseJsonText(text);
  if (!result.ok) throw new Error(`parse failed at ${result.offset}`);
  return result.value;
}

const obj = (...entries: Array<[string, JsonValue]>): JsonObject<JsonValue> => new JsonObject(entries);

describe('parseJsonText', () => {
  it('keeps duplicate keys and document order, integer-like keys included', () => {
    expect(parsed('{"b":1,"1":2,"0":3,"b":4}')).toStrictEqual(obj(['b', 1], ['1', 2], ['0', 3], ['b', 4]));
  });

  it('stops after the first complete value and reports where it ended', () => {
    const result = parseJsonText('{"x":1} trailing {garbage');
    expect(result).toEqual({ ok: true, value: obj(['x', 1]), end: 7 });
  });

  it('skips every byte up to 0x20 as white space, control bytes included', () => {
    expect(parsed('\t{\x01"a"\x1f:\n[ 1 ,\r2 ] }')).toStrictEqual(obj(['a', [1, 2]]));
  });

  it.each([
    ['{"truncated": ', 'end of input'],
    ['{"a":1,}', 'trailing comma in an object'],
    ['{"a":[1,]}', 'trailing comma in an array'],
    ["{'a':1}", 'single quotes'],
    ['{"a":1e}', 'an exponent without digits (strtod stops before the "e")'],
    ['{"a":-}', 'a lone minus'],
    ['{"a":1.5.3}', 'a second decimal point'],
    ['{"a":+1}', 'a leading plus'],
    ['{"a":"\\x"}', 'an unknown escape'],
    ['{"a":"\\u12"}', 'a short \\u escape'],
    ['{"a":"\\udc00"}', 'a lone low surrogate'],
    ['{"a":"\\ud83d"}', 'a lone high surrogate'],
    ['{"a":"\\ud83dx\\ude00"}', 'a high surrogate not followed at once by a low one'],
    ['{"a":"abc\\', 'a backslash at the end'],
    ['{"a":nul}', 'a cut literal'],
  ])('fails on %s (%s)', (text) => {
    expect(parseJsonText(text).ok).toBe(false);
  });

  it('accepts the number spellings C strtod accepts', () => {
    expect(parsed('{"a":-.5,"b":01,"c":1.,"d":1.e2,"e":1E-7,"f":1e999}')).toStrictEqual(
      obj(['a', -0.5], ['b', 1], ['c', 1], ['d', 100], ['e', 1e-7], ['f', Number.POSITIVE_INFINITY]),
    );
  });

  it('reads a literal by its first bytes: what follows is trailing text, or an error inside a container', () => {
    expect(parseJsonText('nullx')).toEqual({ ok: true, value: null, end: 4 });
    expect(parseJsonText('[truex]').ok).toBe(false);
  });

  it('decodes escapes to UTF-8 bytes', () => {
    expect(parsed('{"a":"\\/\\b\\f\\n\\r\\t\\"\\\\","u":"caf\\u00e9 \\u20ac \\ud83d\\ude00"}')).toStrictEqual(
      obj(['a', '/\b\f\n\r\t"\\'], ['u', 'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80']),
    );
  });

  it('cuts a string at an escaped NUL, in values and keys', () => {
    expect(parsed('{"a":"x\\u0000tail","k\\u0000ey":1}')).toStrictEqual(obj(['a', 'x'], ['k', 1]));
  });

  it('reads a \\u escape with a non-hex digit as code 0, which cuts the string (cJSON quirk)', () => {
    expect(parsed('{"a":"ok\\uZZZZgone","b":2}')).toStrictEqual(obj(['a', 'ok'], ['b', 2]));
  });

  it('keeps raw bytes as they are, invalid UTF-8 and control bytes included', () => {
    expect(parsed('{"\xfe":"\xff\xc3(\x01"}')).toStrictEqual(obj(['\xfe', '\xff\xc3(\x01']));
  });

  it('treats a raw NUL as the end of the text, as C does', () => {
    expect(parseJsonText('{"a":1}\0junk').ok).toBe(true);
    expect(parseJsonText('{"a":"x\0y"}').ok).toBe(false);
  });

  it('allows 1000 levels of nesting and fails at 1001 (CJSON_NESTING_LIMIT)', () => {
    expect(parseJsonText(`${'['.repeat(1000)}${']'.repeat(1000)}`).ok).toBe(true);
    expect(parseJsonText(`${'['.repeat(1001)}${']'.repeat(1001)}`).ok).toBe(false);
  });
});

describe('printCjsonArray', () => {
  const print = (text: string): string => {
    const value = parsed(text);
    if (!Array.isArray(value)) throw new Error('not an array');
    return printCjsonArray(value, bytesAsIs);
  };

  it.each([
    ['[]', '[]'],
    ['["x","y"]', '["x", "y"]'],
    ['[1,2.5,1e21,-0,0.1]', '[1, 2.5, 1e+21, 0, 0.1]'],
    ['[true,false,null]', '[true, false, null]'],
    ['[[1,2],["a"],[]]', '[[1, 2], ["a"], []]'],
    ['[{"k":"v","n":1}]', '[{\n\t\t"k":\t"v",\n\t\t"n":\t1\n\t}]'],
    ['[{}]', '[{\n\t}]'],
    ['[{"a":{"b":[{"c":{}}]}}]', '[{\n\t\t"a":\t{\n\t\t\t"b":\t[{\n\t\t\t\t\t"c":\t{\n\t\t\t\t\t}\n\t\t\t\t}]\n\t\t}\n\t}]'],
    ['[{"d":1,"d":2}]', '[{\n\t\t"d":\t1,\n\t\t"d":\t2\n\t}]'],
  ])('%j prints as %j', (text, expected) => {
    expect(print(text)).toBe(expected);
  });

  it('escapes quote, backslash and control bytes only; "/" and bytes ≥ 0x7f stay raw', () => {
    expect(print('["\\/\\b\\f\\n\\r\\t\\"\\\\\\u0001\\u001f\x7f\xc3\xa9"]')).toBe('["/\\b\\f\\n\\r\\t\\"\\\\\\u0001\\u001f\x7f\xc3\xa9"]');
  });

  it('prints JSON.parse trees the same way once strings are encoded', () => {
    expect(printCjsonArray(JSON.parse('[{"é":"\\u0000x"},"ok"]') as unknown[], utf16ToCString)).toBe(
      '[{\n\t\t"\xc3\xa9":\t""\n\t}, "ok"]',
    );
  });
});

describe('utf16ToCString', () => {
  it('returns ASCII text unchanged, encodes the rest as UTF-8 bytes and cuts at NUL', () => {
    expect(utf16ToCString('plain')).toBe('plain');
    expect(utf16ToCString('café')).toBe('caf\xc3\xa9');
    expect(utf16ToCString('a\0b')).toBe('a');
    expect(utf16ToCString('é\0b')).toBe('\xc3\xa9');
  });
});
