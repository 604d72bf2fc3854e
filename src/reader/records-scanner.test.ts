import { describe, expect, it } from 'vitest';
import { RecordsScanner } from './records-scanner.js';
import type { TrailRecordResult } from './types.js';

const ORIGIN = { bucket: 'trail-bucket', key: 'AWSLogs/k.json.gz' };

function scan(parts: readonly Buffer[], maxRecordBytes = 1 << 20): TrailRecordResult[] {
  const scanner = new RecordsScanner(ORIGIN, { maxRecordBytes });
  const out: TrailRecordResult[] = [];
  for (const part of parts) out.push(...scanner.push(part));
  out.push(...scanner.end());
  return out;
}

// Escapes that end exactly at a chunk edge are the hard part: `\\` then `"`, `\"` inside strings,
// brackets and quotes inside strings, a member before Records whose value contains a Records key.
const TRICKY = Buffer.from(
  '\uFEFF { "meta" : {"Records":[{"no":1}], "s":"]}\\"[{"} , "Records" : [ ' +
    '{"a":"x\\\\","b":"\\"}]","c":[1,{"d":"\\\\\\""}],"e":null} , ' +
    '{"u":"h\\u00e9llo \u00e9\u6771\ud83d\ude00","n":-1.5e3,"t":true} ,' +
    '{}' +
    ' ] , "after": "x" } \n',
  'utf8',
);

describe('RecordsScanner', () => {
  const whole = scan([TRICKY]);

  it('cuts out each top-level record and ignores Records keys nested elsewhere', () => {
    expect(whole).toEqual([
      { ok: true, recordIndex: 0, text: '{"a":"x\\\\","b":"\\"}]","c":[1,{"d":"\\\\\\\""}],"e":null}', bytes: Buffer.byteLength('{"a":"x\\\\","b":"\\"}]","c":[1,{"d":"\\\\\\\""}],"e":null}'), record: { a: 'x\\', b: '"}]', c: [1, { d: '\\"' }], e: null } },
      { ok: true, recordIndex: 1, text: '{"u":"h\\u00e9llo \u00e9\u6771\ud83d\ude00","n":-1.5e3,"t":true}', bytes: Buffer.byteLength('{"u":"h\\u00e9llo \u00e9\u6771\ud83d\ude00","n":-1.5e3,"t":true}'), record: { u: 'h\u00e9llo \u00e9\u6771\ud83d\ude00', n: -1500, t: true } },
      { ok: true, recordIndex: 2, text: '{}', bytes: 2, record: {} },
    ]);
  });

  it('gives the same results wherever the input is split in two', () => {
    for (let cut = 1; cut < TRICKY.length; cut++) {
      expect(scan([TRICKY.subarray(0, cut), TRICKY.subarray(cut)]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('gives the same results one byte at a time', () => {
    const bytes = Array.from({ length: TRICKY.length }, (_, i) => TRICKY.subarray(i, i + 1));
    expect(scan(bytes)).toEqual(whole);
  });

  it('keeps a record whose bytes span many chunks', () => {
    const big = { text: 'q"\\'.repeat(50_000) };
    const input = Buffer.from(JSON.stringify({ Records: [big, { small: 1 }] }));
    const parts = Array.from({ length: Math.ceil(input.length / 1000) }, (_, i) => input.subarray(i * 1000, (i + 1) * 1000));
    expect(scan(parts).map((r) => (r.ok ? r.record : r.problem.code))).toEqual([big, { small: 1 }]);
  });

  it('skips an oversized record across chunks and goes on with the next', () => {
    const input = Buffer.from(JSON.stringify({ Records: [{ a: 1 }, { big: 'x'.repeat(10_000) }, { b: 2 }] }));
    const parts = Array.from({ length: Math.ceil(input.length / 999) }, (_, i) => input.subarray(i * 999, (i + 1) * 999));
    const results = scan(parts, 5_000);
    expect(results.map((r) => (r.ok ? r.record : r.problem))).toEqual([
      { a: 1 },
      {
        origin: { ...ORIGIN, recordIndex: 1 },
        code: 'record_too_large',
        message: 'Record 1 of s3://trail-bucket/AWSLogs/k.json.gz is 10010 bytes, over the 5000-byte limit; skipped.',
      },
      { b: 2 },
    ]);
  });

  it('reports a missing comma between records as bad JSON after the records before it', () => {
    const results = scan([Buffer.from('{"Records":[{"a":1} {"b":2}]}')]);
    expect(results.map((r) => (r.ok ? r.record : `${r.problem.code}: ${r.problem.message}`))).toEqual([
      { a: 1 },
      'not_json: s3://trail-bucket/AWSLogs/k.json.gz is not valid JSON: expected "," or "]" after record 0, found "{" at byte 20.',
    ]);
  });
});
