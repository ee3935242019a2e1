import type { Dtype } from './dtype';
import { assertUnreachable } from './dtype';
import { pow2 } from './pow2';

/**
 * The numeric range of a dtype, used to classify values.
 * - `largestFinite`: the largest finite magnitude; a finite float with |v| equal to it counts as
 *   saturated (e.g. 448 for F8_E4M3: the cast that never saturates turns larger values into NaN).
 * - `smallestNormal`: the smallest positive normal value; 0 < |v| < it is subnormal. For E8M0 (no
 *   subnormals) it is the smallest value, 2^-127.
 * - `smallestSubnormal`: the smallest positive value a code can hold (equal to `smallestNormal` when the
 *   format has no subnormals).
 * - `intMin` / `intMax`: the range of integer dtypes (BOOL: 0 and 1); null for floats. 64-bit bounds are
 *   the nearest doubles; exact comparisons on them are done on the bits by the scan.
 */
export interface DtypeLimits {
  readonly largestFinite: number;
  readonly smallestNormal: number;
  readonly smallestSubnormal: number;
  readonly intMin: number | null;
  readonly intMax: number | null;
}

function floatLimits(
  largestFinite: number,
  minNormalExp: number,
  minSubnormalExp: number,
): DtypeLimits {
  return {
    largestFinite,
    smallestNormal: pow2(minNormalExp),
    smallestSubnormal: pow2(minSubnormalExp),
    intMin: null,
    intMax: null,
  };
}

function intLimits(intMin: number, intMax: number): DtypeLimits {
  return {
    largestFinite: Math.max(-intMin, intMax),
    smallestNormal: 1,
    smallestSubnormal: 1,
    intMin,
    intMax,
  };
}

/** Largest finite binary32: (2 - 2^-23) * 2^127. */
export const F32_LARGEST_FINITE = (2 - pow2(-23)) * pow2(127);
/** Largest finite bfloat16: (2 - 2^-7) * 2^127 (0x7F7F). */
export const BF16_LARGEST_FINITE = (2 - pow2(-7)) * pow2(127);
/** Largest finite binary16 (0x7BFF). */
export const F16_LARGEST_FINITE = 65504;

export function dtypeLimits(dtype: Dtype): DtypeLimits {
  switch (dtype) {
    case 'F4':
      return floatLimits(6, 0, -1);
    case 'F6_E2M3':
      return floatLimits(7.5, 0, -3);
    case 'F6_E3M2':
      return floatLimits(28, -2, -4);
    case 'F8_E4M3':
      return floatLimits(448, -6, -9);
    case 'F8_E5M2':
      return floatLimits(57344, -14, -16);
    case 'F8_E4M3FNUZ':
      return floatLimits(240, -7, -10);
    case 'F8_E5M2FNUZ':
      return floatLimits(57344, -15, -17);
    case 'F8_E8M0':
      return floatLimits(pow2(127), -127, -127);
    case 'F16':
      return floatLimits(F16_LARGEST_FINITE, -14, -24);
    case 'BF16':
      return floatLimits(BF16_LARGEST_FINITE, -126, -133);
    case 'F32':
    case 'C64':
      return floatLimits(F32_LARGEST_FINITE, -126, -149);
    case 'F64':
      return floatLimits(Number.MAX_VALUE, -1022, -1074);
    case 'BOOL':
      return intLimits(0, 1);
    case 'U8':
      return intLimits(0, 0xff);
    case 'I8':
      return intLimits(-0x80, 0x7f);
    case 'U16':
      return intLimits(0, 0xffff);
    case 'I16':
      return intLimits(-0x8000, 0x7fff);
    case 'U32':
      return intLimits(0, 0xffffffff);
    case 'I32':
      return intLimits(-0x80000000, 0x7fffffff);
    case 'U64':
      return intLimits(0, 2 ** 64 - 1);
    case 'I64':
      return intLimits(-(2 ** 63), 2 ** 63 - 1);
    default:
      return assertUnreachable(dtype);
  }
}
