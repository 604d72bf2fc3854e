// The rule language is defined on bytes (rule-language.md: "treat every value as bytes"). We carry
// byte strings as JS strings whose char codes are all 0–255 (the latin1 view of the UTF-8 bytes):
// cheap to compare and index, and identical to ordinary strings for ASCII text.

/** A JS string holding one byte per char code (0–255): the latin1 view of UTF-8 bytes. */
export type ByteString = string & { readonly __bytes?: never };

// eslint-free fast path: most CloudTrail values are pure ASCII, where the two views coincide.
const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 text → byte string. */
export function toBytes(text: string): ByteString {
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Byte string → UTF-8 text (invalid sequences become U+FFFD). */
export function fromBytes(bytes: ByteString): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;
}
