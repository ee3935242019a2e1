import type { Dtype } from '../dtype/dtype';
import { assertUnreachable } from '../dtype/dtype';
import type { Histogram } from './tensor-stats';

/**
 * The bins of an exponent histogram: floor(log2|v|) from `minExponent` (the exponent of the
 * dtype's smallest subnormal, or 0 for integers) up to the largest finite value's exponent.
 * Every histogram of a dtype has the same length, whatever the data.
 */
export interface ExponentRange {
  readonly minExponent: number;
  readonly bins: number;
}

function range(minExponent: number, maxExponent: number): ExponentRange {
  return { minExponent, bins: maxExponent - minExponent + 1 };
}

/** The exponent range of a dtype with an exponent histogram, or null for code-histogram dtypes. */
export function exponentRange(dtype: Dtype): ExponentRange | null {
  switch (dtype) {
    case 'F16':
      return range(-24, 15);
    case 'BF16':
      return range(-133, 127);
    case 'F32':
    case 'C64':
      return range(-149, 127);
    case 'F64':
      return range(-1074, 1023);
    case 'I16':
    case 'U16':
      return range(0, 15);
    case 'I32':
    case 'U32':
      return range(0, 31);
    case 'I64':
    case 'U64':
      return range(0, 63);
    case 'BOOL':
    case 'U8':
    case 'I8':
    case 'F4':
    case 'F6_E2M3':
    case 'F6_E3M2':
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ':
      return null;
    default:
      return assertUnreachable(dtype);
  }
}

/** The parts of an exponent histogram, filled by a kernel and frozen by `toHistogram`. */
export class ExponentCounts {
  readonly minExponent: number;
  readonly positive: Float64Array;
  readonly negative: Float64Array;
  zero = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;

  constructor(exponents: ExponentRange) {
    this.minExponent = exponents.minExponent;
    this.positive = new Float64Array(exponents.bins);
    this.negative = new Float64Array(exponents.bins);
  }

  /** Adds `count` finite non-zero values of exponent `exponent` and the given sign. */
  add(exponent: number, negative: boolean, count: number): void {
    const bins = negative ? this.negative : this.positive;
    bins[exponent - this.minExponent] += count;
  }

  toHistogram(): Histogram {
    return {
      kind: 'exponent',
      minExponent: this.minExponent,
      positive: Array.from(this.positive),
      negative: Array.from(this.negative),
      zero: this.zero,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
    };
  }
}
