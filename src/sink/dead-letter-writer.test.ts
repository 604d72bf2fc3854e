import { describe, expect, it } from 'vitest';
import { toDeadLetterDocument } from './dead-letter-writer.js';

describe('toDeadLetterDocument', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');

  it('keeps reason, error type, origin, target and the raw record of a rejected document', () => {
    const doc = toDeadLetterDocument(
      {
        origin: { bucket: 'trail-bucket', key: 'AWSLogs/1/CloudTrail/us-east-1/x.json.gz', recordIndex: 17 },
        code: 'es_rejected',
        message: 'failed to parse field [n] of type [long]',
        errorType: 'document_parsing_exception',
        raw: '{"eventName":"ConsoleLogin"}',
        target: { index: 'ctindex-cloudtrail-prod', id: 'abc' },
      },
      now,
    );
    expect(doc).toEqual({
      '@timestamp': '2026-11-22T10:00:00.000Z',
      error: { code: 'es_rejected', type: 'document_parsing_exception', message: 'failed to parse field [n] of type [long]' },
      ctindex: {
        origin: { bucket: 'trail-bucket', key: 'AWSLogs/1/CloudTrail/us-east-1/x.json.gz', record_index: 17 },
        target: { index: 'ctindex-cloudtrail-prod', id: 'abc' },
      },
      event: { original: '{"eventName":"ConsoleLogin"}' },
    });
  });

  it('describes a whole-object problem without target or raw record', () => {
    const doc = toDeadLetterDocument({ origin: { bucket: 'b', key: 'k.json.gz', recordIndex: -1 }, code: 'corrupt_gzip', message: 'incorrect header check' }, now);
    expect(JSON.parse(JSON.stringify(doc))).toEqual({
      '@timestamp': '2026-11-22T10:00:00.000Z',
      error: { code: 'corrupt_gzip', message: 'incorrect header check' },
      ctindex: { origin: { bucket: 'b', key: 'k.json.gz', record_index: -1 } },
    });
  });
});
