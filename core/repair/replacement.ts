import { assertUnreachable } from '../dtype/dtype';
import type { FloatReplacement, Fp8Replacement } from './repair-policy';

/** The sign bit of an 8-bit float code. */
const SIGN_BIT_8 = 0x80;
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

/** The byte an F8_E4M3 NaN code becomes under `rule`. */
export function fp8Replacement(old: number, rule: Fp8Replacement): number {
  const sign = old & SIGN_BIT_8;
  switch (rule.kind) {
    case 'max':
      return sign | E4M3_MAX_MAGNITUDE;
    case 'zero':
      return sign;
    case 'byte':
      return rule.value;
    default:
      return assertUnreachable(rule);
  }
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

/** The bits a NaN/Inf element becomes: zero or the largest finite value, keeping the sign. */
export function floatReplacement(bits: number, layout: IeeeLayout, rule: FloatReplacement): number {
  const sign = (bits & layout.signMask) >>> 0;
  switch (rule) {
    case 'zero':
      return sign;
    case 'max':
      return (sign | layout.maxFinite) >>> 0;
    default:
      return assertUnreachable(rule);
  }
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
