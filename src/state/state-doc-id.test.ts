import { describe, expect, it } from 'vitest';
import { stateDocId } from './state-doc-id.js';

describe('stateDocId', () => {
  it.each([
    { id: '123456789012/us-east-1', expected: '123456789012%2Fus-east-1' },
    { id: 'o-abc123/123456789012/eu-west-1', expected: 'o-abc123%2F123456789012%2Feu-west-1' },
    { id: 'custom prefix/ü/1/r', expected: 'custom%20prefix%2F%C3%BC%2F1%2Fr' },
  ])('$id → $expected', ({ id, expected }) => {
    expect(stateDocId(id)).toBe(expected);
  });

  it('keeps distinct partitions apart, even ids that look encoded', () => {
    expect(stateDocId('a/b')).not.toBe(stateDocId('a%2Fb'));
  });

  it('hashes ids that would exceed the 512-byte _id limit, still distinctly', () => {
    const long = `${'p/'.repeat(300)}123456789012/us-east-1`;
    expect(stateDocId(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stateDocId(long)).not.toBe(stateDocId(`${long}x`));
  });
});
