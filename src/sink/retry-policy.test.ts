import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyBulkItem, classifyRequestFailure, type BulkItemClass, type BulkItemError } from './retry-policy.js';

// Bulk responses captured from Elasticsearch 8.19 by test/fixtures/es-responses/capture.sh.
function capturedItems(file: string): { status: number; error?: BulkItemError }[] {
  const url = new URL(`../../test/fixtures/es-responses/${file}`, import.meta.url);
  const body = JSON.parse(readFileSync(url, 'utf8')) as { items: { create: { status: number; error?: BulkItemError } }[] };
  return body.items.map((i) => i.create);
}

const cases: { file: string; item: number; expected: BulkItemClass }[] = [
  { file: 'bulk-created.json', item: 0, expected: 'ok' },
  { file: 'bulk-version-conflict.json', item: 0, expected: 'duplicate' },
  { file: 'bulk-version-conflict.json', item: 1, expected: 'ok' },
  { file: 'bulk-version-conflict.json', item: 2, expected: 'duplicate' },
  { file: 'bulk-mapping-rejections.json', item: 0, expected: 'dead-letter' },
  { file: 'bulk-mapping-rejections.json', item: 1, expected: 'dead-letter' },
  { file: 'bulk-mapping-rejections.json', item: 2, expected: 'dead-letter' },
  { file: 'bulk-flood-stage-block.json', item: 0, expected: 'retry' },
  { file: 'bulk-unavailable-shards.json', item: 0, expected: 'retry' },
  { file: 'bulk-write-block.json', item: 0, expected: 'fatal' },
  { file: 'bulk-index-not-found.json', item: 0, expected: 'fatal' },
];

describe('classifyBulkItem', () => {
  it.each(cases.map((c) => ({ ...c, body: capturedItems(c.file)[c.item]! })))(
    '$file item $item ($body.status $body.error.type) is $expected',
    ({ body, expected }) => {
      expect(classifyBulkItem(body.status, body.error)).toBe(expected);
    },
  );

  it.each([
    // The write thread pool's rejection; a single idle test node cannot be pushed into it.
    { status: 429, error: { type: 'es_rejected_execution_exception' }, expected: 'retry' },
    { status: 429, error: { type: 'circuit_breaking_exception' }, expected: 'retry' },
    { status: 500, error: { type: 'node_closed_exception' }, expected: 'retry' },
    { status: 409, error: { type: 'some_other_conflict' }, expected: 'dead-letter' },
    { status: 400, error: { type: 'illegal_argument_exception' }, expected: 'dead-letter' },
    { status: 401, error: { type: 'security_exception' }, expected: 'fatal' },
  ] as const)('$status $error.type is $expected', ({ status, error, expected }) => {
    expect(classifyBulkItem(status, error)).toBe(expected);
  });
});

describe('classifyRequestFailure', () => {
  it.each([
    { outcome: 'no-answer', expected: 'retry' },
    { outcome: 429, expected: 'retry' },
    { outcome: 502, expected: 'retry' },
    { outcome: 503, expected: 'retry' },
    { outcome: 504, expected: 'retry' },
    { outcome: 501, expected: 'fatal' },
    { outcome: 400, expected: 'fatal' },
    { outcome: 401, expected: 'fatal' },
    { outcome: 413, expected: 'fatal' },
    { outcome: 'other', expected: 'fatal' },
  ] as const)('$outcome is $expected', ({ outcome, expected }) => {
    expect(classifyRequestFailure(outcome)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it.each([
    { retry: 1, random: 0, expected: 50 },
    { retry: 1, random: 1, expected: 100 },
    { retry: 2, random: 0, expected: 100 },
    { retry: 3, random: 0.5, expected: 300 },
    { retry: 4, random: 1, expected: 800 },
    { retry: 5, random: 0, expected: 500 },
    { retry: 30, random: 1, expected: 1000 },
  ])('retry $retry with random $random waits $expected ms', ({ retry, random, expected }) => {
    expect(backoffDelayMs(retry, options, () => random)).toBe(expected);
  });
});
