import type { MinifloatFormat } from './minifloat';
import { buildMinifloatTable, decodeMinifloat } from './minifloat';
import { pow2 } from './pow2';

/** torch float8_e4m3fn (`F8_E4M3`): bias 7, no Inf, NaN only 0x7F/0xFF, max ±448, min subnormal 2^-9. */
export const F8_E4M3_FORMAT: MinifloatFormat = {
  exponentBits: 4,
  mantissaBits: 3,
  bias: 7,
  specials: 'fn',
};

/** torch float8_e5m2 (`F8_E5M2`): bias 15, IEEE-like ±Inf 0x7C/0xFC, NaN 0x7D-0x7F/0xFD-0xFF, max 57344. */
export const F8_E5M2_FORMAT: MinifloatFormat = {
  exponentBits: 5,
  mantissaBits: 2,
  bias: 15,
  specials: 'ieee',
};

/**
 * torch float8_e4m3fnuz (`F8_E4M3FNUZ`, AMD): bias **8** (not 7), no Inf, no -0, NaN only 0x80.
 * Max 0x7F = 1.875 * 2^7 = 240; min subnormal 2^-10.
 */
export const F8_E4M3FNUZ_FORMAT: MinifloatFormat = {
  exponentBits: 4,
  mantissaBits: 3,
  bias: 8,
  specials: 'fnuz',
};

/**
 * torch float8_e5m2fnuz (`F8_E5M2FNUZ`): bias **16** (not 15), no Inf, no -0, NaN only 0x80.
 * Max 0x7F = 1.75 * 2^15 = 57344; min subnormal 2^-17.
 */
export const F8_E5M2FNUZ_FORMAT: MinifloatFormat = {
  exponentBits: 5,
  mantissaBits: 2,
  bias: 16,
  specials: 'fnuz',
};

/** E8M0 (`F8_E8M0`, torch float8_e8m0fnu) exponent bias: value = 2^(code - 127). */
export const F8_E8M0_BIAS = 127;
/** The only E8M0 NaN. E8M0 has no sign, no zero, no Inf and no subnormals; 0x00 is 2^-127. */
export const F8_E8M0_NAN_CODE = 0xff;

export function decodeF8E4M3(code: number): number {
  return decodeMinifloat(code & 0xff, F8_E4M3_FORMAT);
}

export function decodeF8E5M2(code: number): number {
  return decodeMinifloat(code & 0xff, F8_E5M2_FORMAT);
}

export function decodeF8E4M3Fnuz(code: number): number {
  return decodeMinifloat(code & 0xff, F8_E4M3FNUZ_FORMAT);
}

export function decodeF8E5M2Fnuz(code: number): number {
  return decodeMinifloat(code & 0xff, F8_E5M2FNUZ_FORMAT);
}

export function decodeF8E8M0(code: number): number {
  const c = code & 0xff;
  return c === F8_E8M0_NAN_CODE ? NaN : pow2(c - F8_E8M0_BIAS);
}

function buildE8M0Table(): Float64Array {
  const table = new Float64Array(256);
  for (let c = 0; c < 256; c++) {
    table[c] = decodeF8E8M0(c);
  }
  return table;
}

/** Code -> value lookup tables, built once at load from the bit functions above. Do not write to them. */
export const F8_E4M3_TABLE: Float64Array = buildMinifloatTable(F8_E4M3_FORMAT);
export const F8_E5M2_TABLE: Float64Array = buildMinifloatTable(F8_E5M2_FORMAT);
export const F8_E4M3FNUZ_TABLE: Float64Array = buildMinifloatTable(F8_E4M3FNUZ_FORMAT);
export const F8_E5M2FNUZ_TABLE: Float64Array = buildMinifloatTable(F8_E5M2FNUZ_FORMAT);
export const F8_E8M0_TABLE: Float64Array = buildE8M0Table();
