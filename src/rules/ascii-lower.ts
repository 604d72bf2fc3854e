// ASCII-only lower-casing of byte strings: Wazuh folds A–Z and nothing else (rule-language.md §3.9),
// whereas `String#toLowerCase` would also fold Latin-1 letters (bytes of UTF-8 sequences).
import type { ByteString } from '../bytes.js';

/** `value` with A–Z lower-cased; returns `value` itself when there is nothing to fold. */
export function asciiLower(value: ByteString): ByteString {
  let upper = false;
  let ascii = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x80) ascii = false;
  }
  if (!upper) return value;
  // For pure ASCII the native method folds exactly A–Z (and is much faster than a regex).
  return ascii ? value.toLowerCase() : value.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}
