// OS_WordMatch as used by if_group (rule-language.md §4.2).
import { describe, expect, it } from 'vitest';
import { compileWordMatch } from './word-match.js';

describe('compileWordMatch', () => {
  it.each<[label: string, pattern: string, input: string, expected: boolean]>([
    ['empty pattern never matches', '', '', false],
    ['empty pattern never matches text', '', 'authentication_failed,', false],
    ['substring, ASCII case-insensitive', 'AUTHENTICATION_FAILED', 'syslog,authentication_failed,', true],
    ['any piece', 'authentication_failed|authentication_failures', 'pam,authentication_failures,', true],
    ['no piece', 'authentication_failed|invalid_login', 'pam,authentication_success,', false],
    ['^ is a prefix test', '^syslog', 'syslog,sshd,', true],
    ['^ misses elsewhere', '^sshd', 'syslog,sshd,', false],
    ['$ is literal', 'sshd$', 'syslog,sshd,', false],
    ['$ matches "$"', 'sshd$', 'sshd$,', true],
    ['! is literal', '!sshd', 'sshd,', false],
    ['non-ASCII compares correctly', '\xc3\xa9', 'caf\xc3\xa9,', true],
    ['no Latin-1 folding', '\xe9', '\xc9', false],
    ['regex metacharacters are literal', 'a.b', 'axb', false],
  ])('%s: %j on %j', (_label, pattern, input, expected) => {
    expect(compileWordMatch(pattern).test(input)).toBe(expected);
  });
});
