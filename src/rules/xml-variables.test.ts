import { describe, expect, it } from 'vitest';
import { substituteVariables, XmlVariableError } from './xml-variables.js';

const vars = new Map([
  ['bad', 'X'],
  ['long_name', 'value'],
]);

describe('substituteVariables (rule-language.md §1.1)', () => {
  it.each([
    ['replaces $NAME', 'a $BAD b', 'a X b'],
    ['matches names case-insensitively', 'a $bAd b', 'a X b'],
    ['ends a name at .', '$BAD.x', 'X.x'],
    ['ends a name at |', '$BAD|y', 'X|y'],
    ['ends a name at ,', '$BAD,y', 'X,y'],
    ['ends a name at $', '$BAD$BAD', 'XX'],
    ['ends a name at a space', '$LONG_NAME z', 'value z'],
    ['keeps a $ directly before a terminator', 'foo$|bar', 'foo$|bar'],
    ['keeps $(field) tokens', 'Login by $(aws.who)', 'Login by $(aws.who)'],
    ['leaves strings of 2 bytes or less alone', '$X', '$X'],
    ['leaves text without $ alone', 'plain', 'plain'],
  ])('%s', (_name, input, expected) => {
    expect(substituteVariables(input, vars)).toBe(expected);
  });

  it('replicates the $(… quirk: later replacements land early by the skipped token length', () => {
    // The token `$(aws` (5 bytes) makes $BAD overwrite from "ame)…" onwards.
    expect(substituteVariables('line $(aws.eventName) $BAD', vars)).toBe('line $(aws.eventNX');
    expect(substituteVariables('$(aws.x) $BAD tail', vars)).toBe('$(awX tail');
  });

  it('does not shift replacements that come before a $( token', () => {
    expect(substituteVariables('$BAD $(aws.x)', vars)).toBe('X $(aws.x)');
  });

  it('rejects an unknown variable', () => {
    expect(() => substituteVariables('a $NOPE b', vars)).toThrow(XmlVariableError);
    expect(() => substituteVariables('a $NOPE b', vars)).toThrow('Unknown variable: NOPE');
  });

  it('rejects a variable name longer than 255 bytes', () => {
    expect(() => substituteVariables(`$${'a'.repeat(256)}`, vars)).toThrow('Invalid variable size.');
  });
});
