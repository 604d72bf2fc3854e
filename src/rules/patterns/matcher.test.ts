// PatternError, the one error every pattern compiler throws.
import { describe, expect, it } from 'vitest';
import { PatternError } from './matcher.js';

describe('PatternError', () => {
  it('is an Error named PatternError that keeps its message', () => {
    const error = new PatternError('unknown escape \\q at byte 3');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PatternError');
    expect(error.message).toBe('unknown escape \\q at byte 3');
  });
});
