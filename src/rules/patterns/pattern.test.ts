// The dispatcher: each PatternType reaches its compiler, and `string` is exact equality (§4.5).
import { describe, expect, it } from 'vitest';
import { compilePattern, PatternError } from './pattern.js';

describe('compilePattern', () => {
  it('string: exact, case-sensitive byte equality (§4.5)', () => {
    const matcher = compilePattern('string', 'Accept');
    expect(matcher.test('Accept')).toBe(true);
    expect(matcher.test('accept')).toBe(false);
    expect(matcher.test('Accepted')).toBe(false);
  });

  it('dispatches to each language', () => {
    expect(compilePattern('osmatch', 'a.b').test('A.B')).toBe(true); // literal `.`, case-insensitive
    expect(compilePattern('osregex', 'a\\.b').test('AXB')).toBe(true); // `\.` is any byte
    expect(compilePattern('pcre2', 'a.b').test('AXB')).toBe(false); // case-sensitive
    expect(compilePattern('pcre2', '(?i)a.b').test('AXB')).toBe(true);
  });

  it('reports compile errors as PatternError', () => {
    expect(() => compilePattern('osregex', '\\q')).toThrow(PatternError);
    expect(() => compilePattern('pcre2', '(')).toThrow(PatternError);
  });
});
