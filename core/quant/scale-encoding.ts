import type { Dtype } from '../dtype/dtype';
import type { ScaleEncoding } from './quant-layout';

/** The encoding a scale's own dtype implies: FP8 E4M3 / E8M0 dtypes, else the dtype's value. */
export function encodingOfDtype(dtype: Dtype): ScaleEncoding {
  switch (dtype) {
    case 'F8_E4M3':
      return 'e4m3';
    case 'F8_E8M0':
      return 'e8m0';
    default:
      return 'float';
  }
}

/** Dtypes that can hold an 8-bit scale of a known role: raw U8 or the FP8 dtype itself. */
export function holdsByteScale(dtype: Dtype, encoding: 'e4m3' | 'e8m0'): boolean {
  return dtype === 'U8' || dtype === (encoding === 'e4m3' ? 'F8_E4M3' : 'F8_E8M0');
}

/** Wide float dtypes a scale can be stored in (AWQ/GPTQ F16, DeepSeek F32, CT model dtype). */
export function isWideFloat(dtype: Dtype): boolean {
  return dtype === 'F16' || dtype === 'BF16' || dtype === 'F32' || dtype === 'F64';
}

/** FP8 weight dtypes. */
export function isFp8(dtype: Dtype): dtype is 'F8_E4M3' | 'F8_E5M2' {
  return dtype === 'F8_E4M3' || dtype === 'F8_E5M2';
}

/** Dtypes packed 4-bit codes are stored in: U8 (two per byte) almost always, torch-native `F4`. */
export function isPackedNibbles(dtype: Dtype): boolean {
  return dtype === 'U8' || dtype === 'F4';
}
