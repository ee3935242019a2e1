import { pow2 } from './pow2';

/**
 * How a small float format spends its special codes.
 * - `ieee`: exponent all ones means ±Inf (mantissa 0) or NaN (any other mantissa), like IEEE-754.
 * - `fn` ("finite"): no Inf; only exponent and mantissa all ones is NaN (both signs).
 * - `fnuz` ("finite, no negative zero"): no Inf; the negative-zero pattern (sign bit alone) is the only NaN.
 * - `finite`: every code is a finite number (OCP MX FP4/FP6).
 */
export type MinifloatSpecials = 'ieee' | 'fn' | 'fnuz' | 'finite';

/** A sign-exponent-mantissa float narrower than 16 bits. */
export interface MinifloatFormat {
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  readonly specials: MinifloatSpecials;
}

/**
 * Decodes one code of a signed minifloat: normal (-1)^S * 2^(E-bias) * (1 + M/2^m),
 * subnormal (E = 0) (-1)^S * 2^(1-bias) * M/2^m, special codes per `format.specials`.
 * A pure bit function; lookup tables are built from it once.
 */
export function decodeMinifloat(code: number, format: MinifloatFormat): number {
  const { exponentBits, mantissaBits, bias, specials } = format;
  const signShift = exponentBits + mantissaBits;
  const exponentMax = (1 << exponentBits) - 1;
  const mantissaMax = (1 << mantissaBits) - 1;
  const negative = ((code >>> signShift) & 1) === 1;
  const e = (code >>> mantissaBits) & exponentMax;
  const m = code & mantissaMax;
  if (specials === 'fnuz' && negative && e === 0 && m === 0) {
    return NaN;
  }
  if (specials === 'ieee' && e === exponentMax) {
    if (m !== 0) {
      return NaN;
    }
    return negative ? -Infinity : Infinity;
  }
  if (specials === 'fn' && e === exponentMax && m === mantissaMax) {
    return NaN;
  }
  // Integer significand times a power of two: exact for every format this small.
  const significand = e === 0 ? m : (1 << mantissaBits) + m;
  const magnitude = significand * pow2(Math.max(e, 1) - bias - mantissaBits);
  return negative ? -magnitude : magnitude;
}

/** A Float64Array of every code's value, `2^(1 + exponentBits + mantissaBits)` entries. */
export function buildMinifloatTable(format: MinifloatFormat): Float64Array {
  const size = 1 << (1 + format.exponentBits + format.mantissaBits);
  const table = new Float64Array(size);
  for (let code = 0; code < size; code++) {
    table[code] = decodeMinifloat(code, format);
  }
  return table;
}
