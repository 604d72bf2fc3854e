// C printf number formatting as Wazuh's json decoder and cJSON apply it to JSON numbers
// (rule-language.md §7.2): `%i`/`%f` for fields, cJSON's `%d`/`%1.15g`/`%1.17g` inside array text.
// JS `toFixed`/`toPrecision` are not usable: they round exact ties up (glibc rounds half to even)
// and `toFixed` switches to exponent form at 1e21, so digits come from the exact binary value.

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * True when a double equals its cJSON `valueint` (the value saturated to the C int range and
 * truncated): an integer in [INT_MIN, INT_MAX]. Both the decoder (`%i` vs `%f`) and cJSON's
 * printer (`%d` vs `%g`) branch on it. -0 counts as 0.
 */
function isIntValued(v: number): boolean {
  return Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
}

/** A field value: C `%i` for integers in the 32-bit range, else `%f` (6 decimals, no exponent). */
export function formatFieldNumber(v: number): string {
  if (isIntValued(v)) return String(v); // String(-0) is "0", as %i prints it
  if (!Number.isFinite(v)) return nonFinite(v);
  if (Number.isSafeInteger(v)) return `${v}.000000`;
  if (Number.isInteger(v)) return `${BigInt(v)}.000000`; // BigInt keeps every digit past 2^53 and 1e21
  return formatFixed6(v);
}

/**
 * A number inside cJSON's printed array text: `%d` for int-valued numbers, otherwise `%1.15g`
 * unless that does not read back (within cJSON's relative-epsilon comparison), then `%1.17g`.
 * Non-finite values print as `null`.
 */
export function formatCjsonNumber(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (isIntValued(v)) return String(v);
  const short = formatG(v, 15);
  const back = Number(short);
  const scale = Math.max(Math.abs(back), Math.abs(v));
  return Math.abs(back - v) <= scale * Number.EPSILON ? short : formatG(v, 17);
}

function nonFinite(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

// ---- exact decimal expansion -------------------------------------------------------------------

const F64 = new Float64Array(1);
const BITS = new BigUint64Array(F64.buffer);
const MANTISSA_MASK = (1n << 52n) - 1n;

/** |v| = digits × 10^pow10 exactly (every finite double is a finite decimal). */
interface ExactDecimal {
  readonly digits: bigint;
  readonly pow10: number;
}

function exactDecimal(v: number): ExactDecimal {
  F64[0] = v;
  const bits = BITS[0] ?? 0n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & MANTISSA_MASK;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exp2 = (biased === 0 ? 1 : biased) - 1075;
  if (mantissa === 0n) return { digits: 0n, pow10: 0 };
  // m·2^e with e < 0 is m·5^-e / 10^-e.
  return exp2 >= 0
    ? { digits: mantissa << BigInt(exp2), pow10: 0 }
    : { digits: mantissa * 5n ** BigInt(-exp2), pow10: exp2 };
}

/** digits / 10^drop rounded half to even, as glibc printf rounds exact values. */
function roundDrop(digits: bigint, drop: number): bigint {
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const q = digits / divisor;
  const twiceRest = (digits % divisor) * 2n;
  return twiceRest > divisor || (twiceRest === divisor && (q & 1n) === 1n) ? q + 1n : q;
}

function sign(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

/** C `%f`: exactly 6 decimals. A negative value that rounds to zero keeps its sign (`-0.000000`). */
function formatFixed6(v: number): string {
  const { digits, pow10 } = exactDecimal(v);
  const scaled = roundDrop(digits, -6 - pow10).toString().padStart(7, '0');
  return `${sign(v)}${scaled.slice(0, -6)}.${scaled.slice(-6)}`;
}

/** C `%1.<precision>g` for a finite, non-zero value. */
function formatG(v: number, precision: number): string {
  const { digits, pow10 } = exactDecimal(v);
  const length = digits.toString().length;
  let rounded = roundDrop(digits, length - precision).toString();
  let exp10 = length - 1 + pow10; // exponent of the leading digit
  if (rounded.length > precision) {
    // 99…9 rounded up to 100…0: one digit longer, one decade higher.
    rounded = rounded.slice(0, precision);
    exp10 += 1;
  }
  if (exp10 < -4 || exp10 >= precision) {
    const mantissa = trimFraction(`${rounded[0]}.${rounded.slice(1)}`);
    const expDigits = String(Math.abs(exp10)).padStart(2, '0');
    return `${sign(v)}${mantissa}e${exp10 < 0 ? '-' : '+'}${expDigits}`;
  }
  const fixed =
    exp10 >= 0
      ? `${rounded.slice(0, exp10 + 1)}.${rounded.slice(exp10 + 1)}`
      : `0.${'0'.repeat(-exp10 - 1)}${rounded}`;
  return sign(v) + trimFraction(fixed);
}

/** `%g` drops trailing zeros of the fraction, and the point when nothing is left after it. */
function trimFraction(textWithPoint: string): string {
  return textWithPoint.replace(/0+$/, '').replace(/\.$/, '');
}
