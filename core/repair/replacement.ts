/**
 * Bit layouts of the dtypes the repair patches: which codes are NaN/Inf, where the sign and the
 * largest finite value sit. What a bad value becomes is decided in repair-decisions.ts.
 */

/** The sign bit of an F8_E4M3 code. */
export const E4M3_SIGN_BIT = 0x80;
/**
 * The seven magnitude bits of an F8_E4M3 code. NaN is exactly all of them set (S.1111.111: 0x7F,
 * 0xFF); 0x80 is -0, never NaN (it is NaN only in the FNUZ variants, which are other dtypes).
 */
const E4M3_MAGNITUDE_MASK = 0x7f;
/** The largest finite F8_E4M3 magnitude, 0.1111.110 = 448 (0xFE is -448). */
export const E4M3_MAX_MAGNITUDE = 0x7e;

export function isE4m3Nan(code: number): boolean {
  return (code & E4M3_MAGNITUDE_MASK) === E4M3_MAGNITUDE_MASK;
}

/** Bit layout of an IEEE-style float (sign, all-ones exponent = Inf/NaN) stored little-endian. */
export interface IeeeLayout {
  readonly bytes: 2 | 4;
  readonly signMask: number;
  /** All exponent bits: an element with every one of them set is ±Inf (mantissa 0) or NaN. */
  readonly exponentMask: number;
  /** Bits of the largest finite magnitude. */
  readonly maxFinite: number;
}

/** binary16: 1.5.10; max 0x7BFF = 65504. */
export const F16_LAYOUT: IeeeLayout = {
  bytes: 2,
  signMask: 0x8000,
  exponentMask: 0x7c00,
  maxFinite: 0x7bff,
};
/** bfloat16: 1.8.7 (the high half of a binary32); max 0x7F7F. */
export const BF16_LAYOUT: IeeeLayout = {
  bytes: 2,
  signMask: 0x8000,
  exponentMask: 0x7f80,
  maxFinite: 0x7f7f,
};
/** binary32: 1.8.23; max 0x7F7FFFFF. */
export const F32_LAYOUT: IeeeLayout = {
  bytes: 4,
  signMask: 0x80000000,
  exponentMask: 0x7f800000,
  maxFinite: 0x7f7fffff,
};

/** True for NaN and ±Inf bit patterns (as an unsigned number). */
export function isNonFinite(bits: number, layout: IeeeLayout): boolean {
  return (bits & layout.exponentMask) >>> 0 === layout.exponentMask;
}

/** Reads a little-endian unsigned element of 2 or 4 bytes at `at`. */
export function readBitsLE(bytes: Uint8Array, at: number, width: 2 | 4): number {
  if (width === 2) {
    return bytes[at] | (bytes[at + 1] << 8);
  }
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** Byte `k` (0 = least significant) of an unsigned element. */
export function byteOfBits(bits: number, k: number): number {
  return (bits >>> (8 * k)) & 0xff;
}
