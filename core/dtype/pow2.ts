/** Exponent bias of an IEEE-754 binary64 (double). */
const F64_EXPONENT_BIAS = 1023;
/** Smallest exponent of a normal double; below it values are subnormal. */
const F64_MIN_NORMAL_EXPONENT = -1022;
/** Exponent of the smallest positive subnormal double, 2^-1074 (`Number.MIN_VALUE`). */
const F64_MIN_SUBNORMAL_EXPONENT = -1074;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** Index of the high 32-bit word of a double in `scratchWords` (0 on big-endian platforms). */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * 2^n exactly, built from the bit pattern rather than `Math.pow`, whose accuracy the spec leaves to
 * the engine. Integers below -1074 give 0 and above 1023 give Infinity, as a double would.
 */
export function pow2(n: number): number {
  if (!Number.isInteger(n)) {
    throw new RangeError(`pow2 needs an integer exponent, got ${n}`);
  }
  if (n > F64_EXPONENT_BIAS) {
    return Infinity;
  }
  if (n < F64_MIN_SUBNORMAL_EXPONENT) {
    return 0;
  }
  scratchWords[0] = 0;
  scratchWords[1] = 0;
  if (n >= F64_MIN_NORMAL_EXPONENT) {
    scratchWords[HIGH_WORD] = (n + F64_EXPONENT_BIAS) << 20;
    return scratch[0];
  }
  // Subnormal: a single mantissa bit, `n - F64_MIN_SUBNORMAL_EXPONENT` places above the lowest.
  const bit = n - F64_MIN_SUBNORMAL_EXPONENT;
  if (bit >= 32) {
    scratchWords[HIGH_WORD] = 1 << (bit - 32);
  } else {
    scratchWords[1 - HIGH_WORD] = 2 ** bit;
  }
  return scratch[0];
}

/**
 * floor(log2(|v|)) of a finite non-zero double, read from its bits (exact, unlike `Math.log2`).
 * Subnormal doubles are handled too.
 */
export function exponentOf(v: number): number {
  scratch[0] = v;
  const hi = scratchWords[HIGH_WORD];
  const lo = scratchWords[1 - HIGH_WORD];
  const biased = (hi >>> 20) & 0x7ff;
  if (biased !== 0) {
    return biased - F64_EXPONENT_BIAS;
  }
  const mantHi = hi & 0xfffff;
  const top = mantHi !== 0 ? 63 - Math.clz32(mantHi) : 31 - Math.clz32(lo);
  return F64_MIN_SUBNORMAL_EXPONENT + top;
}
