import { describe, expect, it } from 'vitest';
import { asciiLower } from './ascii-lower.js';

describe('asciiLower', () => {
  it('folds A-Z only', () => {
    expect(asciiLower('AbC-Z_09')).toBe('abc-z_09');
  });

  it('leaves Latin-1 letters (UTF-8 bytes) unchanged', () => {
    expect(asciiLower('\u00c3\u0089T\u00c9')).toBe('\u00c3\u0089t\u00c9');
  });

  it('returns the same string when nothing needs folding', () => {
    const s = 'already lower';
    expect(asciiLower(s)).toBe(s);
  });
});

describe('asciiLower on mixed input', () => {
  it('folds ASCII letters next to non-ASCII bytes without touching the latter', () => {
    expect(asciiLower('AB\u00c0\u00c9cd')).toBe('ab\u00c0\u00c9cd');
  });
});
