import { describe, expect, it } from 'vitest';
import { encodeCreate } from './bulk-request.js';

describe('encodeCreate', () => {
  it('writes a create action and the document, and counts their UTF-8 bytes with both newlines', () => {
    const op = encodeCreate('ctindex-cloudtrail-x', 'id/1', { message: 'Zürich ✓', n: 1 });
    expect(JSON.parse(op.action)).toEqual({ create: { _index: 'ctindex-cloudtrail-x', _id: 'id/1' } });
    expect(JSON.parse(op.source)).toEqual({ message: 'Zürich ✓', n: 1 });
    expect(op.bytes).toBe(Buffer.byteLength(`${op.action}\n${op.source}\n`));
    expect(op.bytes).toBeGreaterThan(op.action.length + op.source.length + 2);
  });

  it('keeps each operation on its own lines even when values hold newlines', () => {
    const op = encodeCreate('i', 'a', { text: 'line 1\nline 2' });
    expect(op.action).not.toContain('\n');
    expect(op.source).not.toContain('\n');
  });
});
