import type { MinifloatFormat } from './minifloat';
import { buildMinifloatTable, decodeMinifloat } from './minifloat';

/** OCP MX FP6 E2M3 (`F6_E2M3`): bias 1, every code finite, max ±7.5, min subnormal 0.125. */
export const F6_E2M3_FORMAT: MinifloatFormat = {
  exponentBits: 2,
  mantissaBits: 3,
  bias: 1,
  specials: 'finite',
};

/** OCP MX FP6 E3M2 (`F6_E3M2`): bias 3, every code finite, max ±28, min subnormal 0.0625. */
export const F6_E3M2_FORMAT: MinifloatFormat = {
  exponentBits: 3,
  mantissaBits: 2,
  bias: 3,
  specials: 'finite',
};

/**
 * Bit packing of F6 data. safetensors only says "4 elements in 3 bytes" and leaves the order open,
 * so ckptscope fixes it as little-endian bit packing: bytes b0, b1, b2 of a group form the 24-bit
 * word `b0 | b1 << 8 | b2 << 16`, and element i (0..3) of the group is bits 6i..6i+5 of that word.
 * Element 0 is therefore the low 6 bits of b0. If a writer ever standardizes another order, only
 * `f6CodeAt` and the F6 scan kernel change.
 */
export const F6_PACKING = 'lsb-first-24bit-little-endian';
/** Elements and bytes of one F6 packing group. */
export const F6_GROUP_ELEMENTS = 4;
export const F6_GROUP_BYTES = 3;

export function decodeF6E2M3(code: number): number {
  return decodeMinifloat(code & 0x3f, F6_E2M3_FORMAT);
}

export function decodeF6E3M2(code: number): number {
  return decodeMinifloat(code & 0x3f, F6_E3M2_FORMAT);
}

/** Code -> value for the 64 codes of each FP6 variant, built once. Do not write to them. */
export const F6_E2M3_TABLE: Float64Array = buildMinifloatTable(F6_E2M3_FORMAT);
export const F6_E3M2_TABLE: Float64Array = buildMinifloatTable(F6_E3M2_FORMAT);

/** The 6-bit code of element `index` of packed F6 bytes (see `F6_PACKING`). */
export function f6CodeAt(bytes: Uint8Array, index: number): number {
  const group = Math.floor(index / F6_GROUP_ELEMENTS);
  const at = group * F6_GROUP_BYTES;
  const word = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
  return (word >>> (6 * (index - group * F6_GROUP_ELEMENTS))) & 0x3f;
}
