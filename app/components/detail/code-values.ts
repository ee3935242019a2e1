import type { Dtype } from '../../../core/dtype/dtype';
import { dtypeKind } from '../../../core/dtype/dtype';
import { dtypeLimits } from '../../../core/dtype/dtype-limits';
import { decodeF4 } from '../../../core/dtype/fp4';
import { decodeF6E2M3, decodeF6E3M2 } from '../../../core/dtype/fp6';
import {
  decodeF8E4M3,
  decodeF8E4M3Fnuz,
  decodeF8E5M2,
  decodeF8E5M2Fnuz,
  decodeF8E8M0,
} from '../../../core/dtype/fp8';

/**
 * How a code-histogram bar is drawn: NaN codes in `--bad`, ±Inf codes in `--bad` too (they are
 * faults), codes at the dtype's largest finite magnitude (saturated) in `--warn`.
 */
export type CodeMark = 'nan' | 'inf' | 'max' | 'plain';

/** The value a raw code of a code-histogram dtype stands for (its own number for unknown dtypes). */
export function decodeCode(dtype: Dtype, code: number): number {
  switch (dtype) {
    case 'F8_E4M3':
      return decodeF8E4M3(code);
    case 'F8_E5M2':
      return decodeF8E5M2(code);
    case 'F8_E4M3FNUZ':
      return decodeF8E4M3Fnuz(code);
    case 'F8_E5M2FNUZ':
      return decodeF8E5M2Fnuz(code);
    case 'F8_E8M0':
      return decodeF8E8M0(code);
    case 'F4':
      return decodeF4(code);
    case 'F6_E2M3':
      return decodeF6E2M3(code);
    case 'F6_E3M2':
      return decodeF6E3M2(code);
    case 'I8':
      return code >= 0x80 ? code - 0x100 : code;
    default:
      // U8 and BOOL: the byte is the value. Wider dtypes have exponent histograms, not codes.
      return code;
  }
}

/**
 * The mark of a code, from its decoded value: NaN, ±Inf, or saturated (|v| equals the dtype's
 * largest finite magnitude, the scan's definition). BOOL has no saturation worth flagging.
 */
export function markCode(dtype: Dtype, code: number): CodeMark {
  const value = decodeCode(dtype, code);
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (!Number.isFinite(value)) {
    return 'inf';
  }
  if (dtypeKind(dtype) !== 'bool' && Math.abs(value) === dtypeLimits(dtype).largestFinite) {
    return 'max';
  }
  return 'plain';
}
