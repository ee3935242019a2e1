import type { Dtype } from './dtype';
import { assertUnreachable } from './dtype';
import { F4_TABLE } from './fp4';
import { F6_E2M3_TABLE, F6_E3M2_TABLE } from './fp6';
import {
  F8_E4M3_TABLE,
  F8_E4M3FNUZ_TABLE,
  F8_E5M2_TABLE,
  F8_E5M2FNUZ_TABLE,
  F8_E8M0_TABLE,
} from './fp8';

function buildTable(size: number, valueOf: (code: number) => number): Float64Array {
  const table = new Float64Array(size);
  for (let c = 0; c < size; c++) {
    table[c] = valueOf(c);
  }
  return table;
}

/** U8 code -> value (the identity). */
export const U8_TABLE: Float64Array = buildTable(256, (c) => c);
/** I8 code -> value (two's complement). */
export const I8_TABLE: Float64Array = buildTable(256, (c) => (c << 24) >> 24);
/**
 * BOOL byte -> value. safetensors does not validate BOOL bytes and torch reads any non-zero byte
 * as true, so every non-zero code is 1; the code histogram still shows which bytes were stored.
 */
export const BOOL_TABLE: Float64Array = buildTable(256, (c) => (c === 0 ? 0 : 1));

/**
 * The code -> value table of a dtype whose every code fits one table (8-bit, F4, F6), or null for
 * wider dtypes. The tables are shared: do not write to them.
 */
export function codeTable(dtype: Dtype): Float64Array | null {
  switch (dtype) {
    case 'BOOL':
      return BOOL_TABLE;
    case 'U8':
      return U8_TABLE;
    case 'I8':
      return I8_TABLE;
    case 'F4':
      return F4_TABLE;
    case 'F6_E2M3':
      return F6_E2M3_TABLE;
    case 'F6_E3M2':
      return F6_E3M2_TABLE;
    case 'F8_E4M3':
      return F8_E4M3_TABLE;
    case 'F8_E5M2':
      return F8_E5M2_TABLE;
    case 'F8_E8M0':
      return F8_E8M0_TABLE;
    case 'F8_E4M3FNUZ':
      return F8_E4M3FNUZ_TABLE;
    case 'F8_E5M2FNUZ':
      return F8_E5M2FNUZ_TABLE;
    case 'I16':
    case 'U16':
    case 'F16':
    case 'BF16':
    case 'I32':
    case 'U32':
    case 'F32':
    case 'C64':
    case 'F64':
    case 'I64':
    case 'U64':
      return null;
    default:
      return assertUnreachable(dtype);
  }
}
