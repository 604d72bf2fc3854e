import { describe, expect, it } from 'vitest';
import { finalLevel } from './rule-definition.js';

describe('finalLevel (rule-language.md §2.1)', () => {
  it.each([
    [9900, 0],
    [300, 3],
    [1600, 16],
    [5, 5], // accuracy="0": not scaled
    [99, 99], // level 0 with accuracy="0" stays 99 (the documented oddity)
  ])('%i → %i', (internal, level) => {
    expect(finalLevel(internal)).toBe(level);
  });
});
