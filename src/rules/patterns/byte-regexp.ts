// Builders for JS RegExp sources that match byte strings exactly (rule-language.md §4.3 translation
// recipe). Every byte is written as `\xHH` and case folding is spelled out as `[aA]`, because the JS
// `i` flag would also fold Latin-1 letters (0xC0–0xFE) while Wazuh folds ASCII only. The sources are
// meant for RegExps with no flags, run on the latin1 byte-string view of a value.
import type { ByteString } from '../../bytes.js';

/** Matches no byte: byte strings never hold a char code above 0xFF. */
export const NO_BYTE = '[^\\x00-\\xff]';

const hex = (b: number): string => `\\x${b.toString(16).padStart(2, '0')}`;

/** One position matching any byte whose flag is 1 in `set` (256 flags). */
export function byteSetSource(set: ArrayLike<number>): string {
  const ranges: string[] = [];
  for (let b = 0; b < 256; b++) {
    if (set[b] !== 1) continue;
    let end = b;
    while (end < 255 && set[end + 1] === 1) end++;
    ranges.push(end === b ? hex(b) : `${hex(b)}-${hex(end)}`);
    b = end;
  }
  if (ranges.length === 0) return NO_BYTE;
  const only = ranges[0] as string;
  return ranges.length === 1 && only.length === 4 ? only : `[${ranges.join('')}]`;
}

/** `text` with ASCII letters matching either case and every other byte matching itself. */
export function foldedLiteralSource(text: ByteString): string {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const b = text.charCodeAt(i) | 0x20;
    source += b >= 0x61 && b <= 0x7a ? `[${String.fromCharCode(b & ~0x20, b)}]` : hex(text.charCodeAt(i));
  }
  return source;
}
