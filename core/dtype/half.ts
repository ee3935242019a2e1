import type { MinifloatFormat } from './minifloat';
import { decodeMinifloat } from './minifloat';

/** IEEE-754 binary16 (`F16`): bias 15, ±Inf 0x7C00/0xFC00, max 65504, min subnormal 2^-24. */
export const F16_FORMAT: MinifloatFormat = {
  exponentBits: 5,
  mantissaBits: 10,
  bias: 15,
  specials: 'ieee',
};

/** bfloat16 (`BF16`): the high 16 bits of a binary32, so bias 127, ±Inf 0x7F80/0xFF80. */
export const BF16_FORMAT: MinifloatFormat = {
  exponentBits: 8,
  mantissaBits: 7,
  bias: 127,
  specials: 'ieee',
};

/** Value of a 16-bit F16 pattern. */
export function decodeF16(bits: number): number {
  return decodeMinifloat(bits & 0xffff, F16_FORMAT);
}

/** Value of a 16-bit BF16 pattern (the high half of a binary32 with the same bits). */
export function decodeBF16(bits: number): number {
  return decodeMinifloat(bits & 0xffff, BF16_FORMAT);
}
