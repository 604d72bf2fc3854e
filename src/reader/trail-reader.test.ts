import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTrailRecords } from './trail-reader.js';
import type { TrailReadLimits, TrailRecordResult } from './types.js';

const ORIGIN = { bucket: 'trail-bucket', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/f.json.gz' };
const WHERE = `s3://${ORIGIN.bucket}/${ORIGIN.key}`;
const LIMITS: TrailReadLimits = { maxDecompressedBytes: 100 * 1024 * 1024, maxRecordBytes: 1024 * 1024 };

async function read(bytes: Buffer, limits: TrailReadLimits = LIMITS): Promise<TrailRecordResult[]> {
  const out: TrailRecordResult[] = [];
  for await (const result of readTrailRecords(bytes, ORIGIN, limits)) out.push(result);
  return out;
}

const event = (i: number) => ({ eventVersion: '1.09', eventID: `id-${i}`, eventName: 'DescribeInstances', requestParameters: { filterSet: {}, note: `n${i}` } });
const trail = (count: number) => JSON.stringify({ Records: Array.from({ length: count }, (_, i) => event(i)) });
/** A compact view: records as their index, problems as `code@index`. */
const shape = (results: TrailRecordResult[]) => results.map((r) => (r.ok ? r.recordIndex : `${r.problem.code}@${r.problem.origin.recordIndex}`));

/** Deterministic bytes that look like nothing in particular. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('readTrailRecords', () => {
  it('yields every record of a gzip CloudTrail file with its index and size', async () => {
    const results = await read(gzipSync(trail(3)));
    expect(results).toEqual([0, 1, 2].map((i) => ({ ok: true, record: event(i), text: JSON.stringify(event(i)), recordIndex: i, bytes: Buffer.byteLength(JSON.stringify(event(i))) })));
  });

  it('passes unknown fields through', async () => {
    const record = { eventVersion: '1.99', brandNewField: { nested: [1, 'two', null] } };
    expect(await read(gzipSync(JSON.stringify({ Records: [record] })))).toEqual([{ ok: true, record, text: JSON.stringify(record), recordIndex: 0, bytes: JSON.stringify(record).length }]);
  });

  it('reads plain (not gzipped) JSON, pretty-printed, with other members around Records', async () => {
    const text = JSON.stringify({ before: { Records: 'not this one' }, Records: [event(0), event(1)], after: [1, 2] }, null, 2);
    expect(shape(await read(Buffer.from(text)))).toEqual([0, 1]);
  });

  it('reads a file of over 50 MB and 7,700 records in bounded memory', async () => {
    const padding = 'p'.repeat(6_500);
    const count = 7_800;
    const text = JSON.stringify({ Records: Array.from({ length: count }, (_, i) => ({ ...event(i), padding })) });
    expect(text.length).toBeGreaterThan(50_000_000);
    const compressed = gzipSync(text);
    let seen = 0;
    let peakExternal = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    for await (const result of readTrailRecords(compressed, ORIGIN, LIMITS)) {
      if (!result.ok) throw new Error(result.problem.message);
      seen++;
      if (seen % 500 === 0) peakExternal = Math.max(peakExternal, process.memoryUsage().arrayBuffers - baseline);
    }
    expect(seen).toBe(count);
    // Holding the decompressed file would add 50 MB of buffers; streaming holds a few chunks.
    expect(peakExternal).toBeLessThan(20_000_000);
  });

  it.each([
    ['an empty object', Buffer.alloc(0), ['empty_object@-1'], `${WHERE} is empty.`],
    ['gzip of nothing', gzipSync(''), ['empty_object@-1'], `${WHERE} is empty.`],
    ['whitespace only', Buffer.from(' \n\t '), ['empty_object@-1'], `${WHERE} is empty.`],
    ['random bytes', noise(4096, 7), ['not_json@-1'], /^s3:\/\/trail-bucket\/.+ does not hold a JSON object \(starts with .+\)\.$/],
    ['gzip magic then random bytes', Buffer.concat([Buffer.from([0x1f, 0x8b]), noise(4096, 9)]), ['gzip_corrupt@-1'], /^s3:\/\/trail-bucket\/.+ is not valid gzip: .+\.$/],
    ['JSON without Records', gzipSync('{"foo":1}'), ['no_records@-1'], `${WHERE} is a JSON object without a "Records" array.`],
    ['Records that is not an array', gzipSync('{"Records":{"a":1}}'), ['no_records@-1'], `${WHERE} has a "Records" member that is not an array (starts with "{").`],
    ['a top-level array', gzipSync('[{"a":1}]'), ['not_json@-1'], `${WHERE} does not hold a JSON object (starts with "[").`],
    ['data after the object', gzipSync(`${trail(2)} {"more":1}`), [0, 1, 'trailing_data@-1'], `${WHERE} has data after its JSON object ("{" at byte ${trail(2).length + 1}).`],
  ])('reports %s', async (_, bytes, expected, message) => {
    const results = await read(bytes);
    expect(shape(results)).toEqual(expected);
    const last = results[results.length - 1];
    if (last?.ok !== false) throw new Error('expected a problem');
    expect(last.problem.message).toMatch(message);
  });

  it('yields the records before the cut of a truncated gzip object', async () => {
    const full = gzipSync(trail(20_000), { level: 1 });
    const results = await read(full.subarray(0, Math.floor(full.length * 0.6)));
    const records = results.filter((r) => r.ok);
    expect(records.length).toBeGreaterThan(10_000);
    expect(records.length).toBeLessThan(20_000);
    expect(shape(results.slice(0, records.length))).toEqual(records.map((_, i) => i));
    expect(results.slice(records.length)).toEqual([
      { ok: false, problem: { origin: { ...ORIGIN, recordIndex: -1 }, code: 'truncated', message: `${WHERE} is a truncated gzip stream; the records before the cut were read.` } },
    ]);
  });

  it('reports JSON cut off inside a record as truncated after the records before it', async () => {
    const text = trail(3);
    expect(shape(await read(gzipSync(text.slice(0, text.length - 20))))).toEqual([0, 1, 'truncated@-1']);
  });

  it('reports corrupted deflate data as gzip_corrupt', async () => {
    const bytes = Buffer.from(gzipSync(trail(2000)));
    bytes.fill(0xff, 200, 260);
    const results = await read(bytes);
    expect(results[results.length - 1]).toMatchObject({ ok: false, problem: { code: 'gzip_corrupt', origin: { recordIndex: -1 } } });
  });

  it('stops at maxDecompressedBytes', async () => {
    const results = await read(gzipSync(trail(10_000)), { ...LIMITS, maxDecompressedBytes: 300_000 });
    expect(results[results.length - 1]).toEqual({
      ok: false,
      problem: {
        origin: { ...ORIGIN, recordIndex: -1 },
        code: 'decompressed_too_large',
        message: `${WHERE} decompresses to more than 300000 bytes; the records before that point were read.`,
      },
    });
  });

  it('skips a record over maxRecordBytes and reads the next', async () => {
    const text = JSON.stringify({ Records: [event(0), { huge: 'x'.repeat(5_000) }, event(2)] });
    const results = await read(gzipSync(text), { ...LIMITS, maxRecordBytes: 1_000 });
    expect(shape(results)).toEqual([0, 'record_too_large@1', 2]);
    expect(results[1]).toMatchObject({ problem: { message: `Record 1 of ${WHERE} is 5011 bytes, over the 1000-byte limit; skipped.` } });
  });

  it.each([
    ['a string', '"just text"', 'is not an object but a string.'],
    ['a number', '42', 'is not an object but a number.'],
    ['null', 'null', 'is not an object but null.'],
    ['an array', '[1,2]', 'is not an object but an array.'],
  ])('reports a record that is %s, and reads on', async (_, recordText, tail) => {
    const text = `{"Records":[${JSON.stringify(event(0))},${recordText},${JSON.stringify(event(2))}]}`;
    const results = await read(gzipSync(text));
    expect(shape(results)).toEqual([0, 'record_not_object@1', 2]);
    expect(results[1]).toEqual({
      ok: false,
      problem: { origin: { ...ORIGIN, recordIndex: 1 }, code: 'record_not_object', message: `Record 1 of ${WHERE} ${tail}`, raw: recordText },
    });
  });

  it('reports a NUL byte inside a record, and reads on', async () => {
    const bad = Buffer.from('{"eventName":"Get\u0000Object"}');
    const bytes = Buffer.concat([Buffer.from(`{"Records":[${JSON.stringify(event(0))},`), bad, Buffer.from(`,${JSON.stringify(event(2))}]}`)]);
    const results = await read(gzipSync(bytes));
    expect(shape(results)).toEqual([0, 'nul_byte@1', 2]);
    expect(results[1]).toMatchObject({ problem: { message: `Record 1 of ${WHERE} contains a NUL byte (at byte 17 of the record).` } });
  });

  it('reports NUL padding between records as nul_byte for the object', async () => {
    const bytes = Buffer.concat([Buffer.from(`{"Records":[${JSON.stringify(event(0))}`), Buffer.alloc(8), Buffer.from(']}')]);
    expect(shape(await read(gzipSync(bytes)))).toEqual([0, 'nul_byte@-1']);
  });

  it('reports invalid UTF-8 per record, and reads on', async () => {
    const bad = Buffer.concat([Buffer.from('{"userAgent":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const bytes = Buffer.concat([Buffer.from(`{"Records":[${JSON.stringify(event(0))},`), bad, Buffer.from(`,${JSON.stringify(event(2))}]}`)]);
    const results = await read(gzipSync(bytes));
    expect(shape(results)).toEqual([0, 'invalid_utf8@1', 2]);
    expect(results[1]).toMatchObject({ problem: { message: `Record 1 of ${WHERE} is not valid UTF-8.`, raw: '{"userAgent":"caf\uFFFD("}' } });
  });

  it('reports a record that is not valid JSON with the parser’s reason on one line', async () => {
    const text = `{"Records":[{"a":tru},${JSON.stringify(event(1))}]}`;
    const results = await read(gzipSync(text));
    expect(shape(results)).toEqual(['not_json@0', 1]);
    const problem = results[0]?.ok === false ? results[0].problem : undefined;
    expect(problem?.message).toMatch(new RegExp(`^Record 0 of ${WHERE.replaceAll('/', '\\/').replaceAll('.', '\\.')} is not valid JSON: [^\\n]+$`));
    expect(problem?.raw).toBe('{"a":tru}');
  });

  it('names a local file by its path', async () => {
    const results: TrailRecordResult[] = [];
    for await (const r of readTrailRecords(Buffer.from('{}'), { bucket: '/data/trail', key: 'AWSLogs/x.json' }, LIMITS)) results.push(r);
    expect(results).toMatchObject([{ problem: { message: '/data/trail/AWSLogs/x.json is a JSON object without a "Records" array.' } }]);
  });
});
