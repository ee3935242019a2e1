import type { MinifloatFormat } from './minifloat';
import { buildMinifloatTable, decodeMinifloat } from './minifloat';

/** OCP MX FP4 E2M1 (`F4`, torch float4_e2m1fn_x2): bias 1, every code finite, values 0..6 and negatives. */
export const F4_E2M1_FORMAT: MinifloatFormat = {
  exponentBits: 2,
  mantissaBits: 1,
  bias: 1,
  specials: 'finite',
};

/**
 * Nibble order of `F4` data: element 2k is the LOW nibble of byte k and element 2k+1 the high one
 * (torch float4_e2m1fn_x2, ModelOpt and compressed-tensors NVFP4, gpt-oss MXFP4). bitsandbytes and
 * ComfyUI NVFP4 store U8 with the opposite order; that is a layout concern, not this dtype's.
 */
export const F4_LOW_NIBBLE_FIRST = true;

export function decodeF4(code: number): number {
  return decodeMinifloat(code & 0xf, F4_E2M1_FORMAT);
}

/** Code -> value for the 16 E2M1 codes, built once. Do not write to it. */
export const F4_TABLE: Float64Array = buildMinifloatTable(F4_E2M1_FORMAT);

/** The E2M1 code of element `index` of packed F4 bytes (low nibble first). */
export function f4CodeAt(bytes: Uint8Array, index: number): number {
  const byte = bytes[index >>> 1];
  return (index & 1) === 0 ? byte & 0xf : byte >>> 4;
}
