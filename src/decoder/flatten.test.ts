import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenJson, MAX_DYNAMIC_FIELDS, walkJson } from './flatten.js';
import { bytesAsIs, JsonObject, parseJsonText, utf16ToCString } from './json-text.js';

// ---- conformance: rule-language-vectors/json-flatten.txt ----------------------------------------

const VECTORS = new URL('../../../shared/docs/rule-language-vectors/json-flatten.txt', import.meta.url);

interface Vector {
  readonly input: string;
  /** (key, value) pairs before static routing, or null for "(parse failure)". */
  readonly expected: Array<[string, string]> | null;
}

/** `%XX` is one raw byte; everything else is literal ASCII (file header). */
function unescapeVector(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function readVectors(): Vector[] {
  const vectors: Array<{ input: string; expected: Array<[string, string]> | null }> = [];
  for (const line of readFileSync(VECTORS, 'latin1').split('\n')) {
    if (line.startsWith('### ')) {
      vectors.push({ input: unescapeVector(line.slice(4)), expected: [] });
      continue;
    }
    const current = vectors.at(-1);
    if (current === undefined || line === '') continue; // header comments come before the first case
    if (line === '(parse failure)') {
      current.expected = null;
      continue;
    }
    const tab = line.indexOf('\t');
    current.expected?.push([unescapeVector(line.slice(0, tab)), unescapeVector(line.slice(tab + 1))]);
  }
  return vectors;
}

/** Every (key, value) the §7.2 walk emits for a line, before routing; null when cJSON would fail. */
function emitted(line: string): Array<[string, string]> | null {
  const parsed = parseJsonText(line);
  if (!parsed.ok || !(parsed.value instanceof JsonObject)) return null;
  const pairs: Array<[string, string]> = [];
  walkJson(parsed.value, bytesAsIs, (name, value) => pairs.push([name, value]));
  return pairs;
}

describe('json-flatten.txt vectors', () => {
  const vectors = readVectors();

  it('has cases to run', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(9);
  });

  // One test per case, titled with its input, so each failing case is reported on its own.
  it.each(vectors)('$input', ({ input, expected }) => {
    expect(emitted(input)).toEqual(expected);
  });
});

// ---- the walk ------------------------------------------------------------------------------------

describe('walkJson', () => {
  it('walks a JSON.parse tree like the same text parsed by parseJsonText (bar integer-like key order)', () => {
    const text = '{"a":{"b":[1,{"c":null}],"d":2.5,"e":{}},"f":"caf\\u00e9","g":true,"h":2147483648}';
    const fromParse: Array<[string, string]> = [];
    walkJson(JSON.parse(text) as object, utf16ToCString, (name, value) => fromParse.push([name, value]));
    expect(fromParse).toEqual(emitted(text));
  });

  it('names a key by its encoding: the JS string "\\xe9" is a raw byte in parsed text, "é" after JSON.parse', () => {
    const names = (root: object, encoding: typeof bytesAsIs): string[] => {
      const seen: string[] = [];
      walkJson(root, encoding, (name) => seen.push(name));
      return seen;
    };
    const parsed = parseJsonText('{"\xe9":{"k":1}}');
    if (!parsed.ok || !(parsed.value instanceof JsonObject)) throw new Error('parse failed');
    expect(names(parsed.value, bytesAsIs)).toEqual(['\xe9.k']);
    expect(names(JSON.parse('{"\u00e9":{"k":1}}') as object, utf16ToCString)).toEqual(['\xc3\xa9.k']);
    expect(names(parsed.value, bytesAsIs)).toEqual(['\xe9.k']);
  });

  it('keeps names right across many distinct keys (the name cache starts again past its size)', () => {
    const wide = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`Key${i}`, { In: i }]));
    const seen: Array<[string, string]> = [];
    walkJson(wide, utf16ToCString, (name, _value, _top, indexKey) => seen.push([name, indexKey]));
    walkJson(wide, utf16ToCString, (name, _value, _top, indexKey) => seen.push([name, indexKey]));
    expect(seen).toHaveLength(60_000);
    expect(seen.every(([name, indexKey], i) => name === `Key${i % 30_000}.In` && indexKey === name.toLowerCase())).toBe(true);
  });

  it('marks only members of the root object as top-level', () => {
    const seen: Array<[string, boolean]> = [];
    walkJson(JSON.parse('{"srcip":"1","x":{"srcip":"2"},"y":[{"srcip":"3"}]}') as object, utf16ToCString, (name, _v, top) =>
      seen.push([name, top]),
    );
    expect(seen).toEqual([['srcip', true], ['x.srcip', false], ['y', true]]);
  });
});

// ---- static routing, limit and index -------------------------------------------------------------

function flattenText(text: string): ReturnType<typeof flattenJson> {
  const parsed = parseJsonText(text);
  if (!parsed.ok || !(parsed.value instanceof JsonObject)) throw new Error('not a JSON object');
  return flattenJson(parsed.value, bytesAsIs);
}

describe('flattenJson static routing (§7.3)', () => {
  it('routes the exact top-level keys of the vector file, user to dstuser before dstuser replaces it', () => {
    const flat = flattenText(
      '{"srcip":"203.0.113.9","user":"bob","dstuser":"carol","id":42,"status":"ok","action":"Allow","url":"/x",' +
        '"data":"d","extra_data":"e","systemname":"s","protocol":"tcp","srcport":"1","dstport":2}',
    );
    expect(flat.statics).toEqual({
      srcip: '203.0.113.9', dstuser: 'carol', id: '42', status: 'ok', action: 'Allow', url: '/x', data: 'd',
      extra_data: 'e', system_name: 's', protocol: 'tcp', srcport: '1', dstport: '2',
    });
    expect(flat.fields).toEqual([]);
  });

  it('keeps user as a dynamic field when dstuser is already set and not empty', () => {
    const flat = flattenText('{"dstuser":"carol","user":"bob"}');
    expect(flat.statics).toEqual({ dstuser: 'carol' });
    expect(flat.fields).toEqual([['user', 'bob']]);
  });

  it('lets user fill a dstuser that is set but empty', () => {
    const flat = flattenText('{"dstuser":"","user":"bob","user":"eve"}');
    expect(flat.statics).toEqual({ dstuser: 'bob' });
    expect(flat.fields).toEqual([['user', 'eve']]);
  });

  it('keeps the last value of a repeated static key', () => {
    expect(flattenText('{"srcip":"1.1.1.1","srcip":"2.2.2.2"}').statics).toEqual({ srcip: '2.2.2.2' });
  });

  it('stores static values in their §7.2 string forms', () => {
    expect(flattenText('{"id":1.5,"data":null,"status":true,"url":["a",1]}').statics).toEqual({
      id: '1.500000', data: 'null', status: 'true', url: '["a", 1]',
    });
  });

  it('leaves nested, differently cased and unlisted keys dynamic', () => {
    const flat = flattenText('{"aws":{"srcip":"1.2.3.4"},"SrcIP":"x","system_name":"y","data":{"k":"v"}}');
    expect(flat.statics).toEqual({});
    expect(flat.fields).toEqual([['aws.srcip', '1.2.3.4'], ['SrcIP', 'x'], ['system_name', 'y'], ['data.k', 'v']]);
  });
});

describe('flattenJson limit and index', () => {
  const many = (count: number): string => `{${Array.from({ length: count }, (_, i) => `"f${i}":${i}`).join(',')}}`;

  it(`keeps the first ${MAX_DYNAMIC_FIELDS} dynamic fields and drops the rest`, () => {
    const flat = flattenText(many(300));
    expect(flat.fields).toHaveLength(MAX_DYNAMIC_FIELDS);
    expect(flat.fields.at(-1)).toEqual(['f255', '255']);
    expect(flat.fieldIndex.has('f256')).toBe(false);
  });

  it('does not count static keys towards the limit, and still routes them past it', () => {
    const flat = flattenText(`{"srcip":"1.1.1.1",${many(300).slice(1, -1)},"action":"late"}`);
    expect(flat.fields).toHaveLength(MAX_DYNAMIC_FIELDS);
    expect(flat.fields[0]).toEqual(['f0', '0']);
    expect(flat.statics).toEqual({ srcip: '1.1.1.1', action: 'late' });
  });

  it('indexes names ASCII-lower-cased, the first field with a name winning', () => {
    const flat = flattenText('{"Host":"first","HOST":"second","host":"third","\xc3\x89X":"e"}');
    expect([...flat.fieldIndex]).toEqual([['host', 'first'], ['\xc3\x89x', 'e']]);
    expect(flat.fields).toHaveLength(4);
  });
});
