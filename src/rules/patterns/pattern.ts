// One entry point for every pattern language a rule condition can use (rule-language.md §3.1, §4):
// the rule loader compiles each condition once through `compilePattern` and tests values with it.
import type { ByteString } from '../../bytes.js';
import type { Matcher } from './matcher.js';
import { compileOsMatch } from './osmatch.js';
import { compileOsRegex } from './osregex.js';
import { compilePcre2 } from './pcre2.js';

export { PatternError } from './matcher.js';
export type { Matcher } from './matcher.js';

/** `type=` values of §3.1, plus `string`, the default of <action> (§4.5). */
export type PatternType = 'osmatch' | 'osregex' | 'pcre2' | 'string';

/** Compiles `pattern` (a byte string) for `type`; throws PatternError when it does not compile. */
export function compilePattern(type: PatternType, pattern: ByteString): Matcher {
  switch (type) {
    case 'osmatch':
      return compileOsMatch(pattern);
    case 'osregex':
      return compileOsRegex(pattern);
    case 'pcre2':
      return compilePcre2(pattern);
    case 'string':
      // §4.5: byte-for-byte equality, case-sensitive.
      return { test: (value: ByteString): boolean => value === pattern };
  }
}
