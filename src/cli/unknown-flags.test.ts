import { describe, expect, it } from 'vitest';
import { unknownFlags } from './unknown-flags.js';

const known = ['help', 'es-url', 'dryRun', 'setup', 'namespace'];

describe('unknownFlags', () => {
  it.each([
    [['--es-url', 'http://x', '--namespace=prod'], []],
    [['--dry-run', '--dryRun'], []],
    [['--no-setup'], []],
    [['--es-ulr', 'x'], ['--es-ulr']],
    [['--no-such-thing'], ['--no-such-thing']],
    [['sync', 'positional', '--', '--not-a-flag'], []],
    [['--bogus=1', '--help'], ['--bogus']],
  ])('%j → %j', (args, expected) => {
    expect(unknownFlags(args, known)).toEqual(expected);
  });
});
