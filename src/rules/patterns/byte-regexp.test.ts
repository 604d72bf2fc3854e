// The exact byte-string RegExp builders, checked byte by byte over all 256 values.
import { describe, expect, it } from 'vitest';
import { byteSetSource, foldedLiteralSource, NO_BYTE } from './byte-regexp.js';

const ALL_BYTES = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));

/** The bytes a single-position source matches, checked exhaustively. */
function matchedBytes(source: string): number[] {
  const regexp = new RegExp(`^${source}$`);
  return ALL_BYTES.flatMap((char, b) => (regexp.test(char) ? [b] : []));
}

function setOf(bytes: number[]): Uint8Array {
  const set = new Uint8Array(256);
  for (const b of bytes) set[b] = 1;
  return set;
}

describe('byteSetSource', () => {
  it.each<[label: string, bytes: number[]]>([
    ['one byte', [0x2e]],
    ['a high byte', [0xe9]],
    ['a range and a single', [0x30, 0x31, 0x32, 0x5f]],
    ['metacharacters', [0x2d, 0x5c, 0x5d, 0x5e]],
    ['everything but LF', ALL_BYTES.map((_, b) => b).filter((b) => b !== 0x0a)],
    ['every byte', ALL_BYTES.map((_, b) => b)],
    ['no byte', []],
  ])('%s matches exactly its bytes', (_label, bytes) => {
    expect(matchedBytes(byteSetSource(setOf(bytes)))).toEqual(bytes);
  });

  it('writes a single byte without a class', () => {
    expect(byteSetSource(setOf([0x41]))).toBe('\\x41');
    expect(byteSetSource(setOf([]))).toBe(NO_BYTE);
  });
});

describe('foldedLiteralSource', () => {
  it('folds ASCII letters only and escapes everything else', () => {
    const regexp = new RegExp(`^${foldedLiteralSource('aZ.\xe9')}$`);
    expect(regexp.test('Az.\xe9')).toBe(true);
    expect(regexp.test('az.\xc9')).toBe(false); // no Latin-1 folding
    expect(regexp.test('azx\xe9')).toBe(false); // `.` is literal
  });

  it('folds exactly the ASCII letters', () => {
    for (let b = 0; b < 256; b++) {
      const other = b >= 0x41 && b <= 0x5a ? b + 0x20 : b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
      expect(matchedBytes(foldedLiteralSource(String.fromCharCode(b)))).toEqual([...new Set([b, other])].sort((x, y) => x - y));
    }
  });
});
