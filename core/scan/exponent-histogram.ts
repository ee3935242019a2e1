import type { Dtype } from '../dtype/dtype';
import { assertUnreachable } from '../dtype/dtype';
import { plainArray } from './plain-array';
import type { Histogram, TensorStats } from './tensor-stats';

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

/**
 * The parts of an exponent histogram, filled by a kernel and frozen by `toHistogram`. The bins are
 * allocated at the first non-zero `add` (or at `toHistogram`): a kernel asked for no histogram
 * (KernelOptions.histogram) counts NaN/Inf here and never needs them, and two ~280-bin tables per
 * tiny F32 tensor were a good part of scanning 100,000 scalar scales.
 */
export class ExponentCounts {
  readonly minExponent: number;
  private readonly bins: number;
  private positiveBins: Float64Array | null = null;
  private negativeBins: Float64Array | null = null;
  zero = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;

  constructor(exponents: ExponentRange) {
    this.minExponent = exponents.minExponent;
    this.bins = exponents.bins;
  }

  /** Counts of positive values by exponent (bin i: exponent minExponent + i). */
  get positive(): Float64Array {
    this.positiveBins ??= new Float64Array(this.bins);
    return this.positiveBins;
  }

  /** Counts of negative values by the exponent of |v|. */
  get negative(): Float64Array {
    this.negativeBins ??= new Float64Array(this.bins);
    return this.negativeBins;
  }

  /** Adds `count` finite non-zero values of exponent `exponent` and the given sign. */
  add(exponent: number, negative: boolean, count: number): void {
    if (count === 0) {
      return;
    }
    const bins = negative ? this.negative : this.positive;
    bins[exponent - this.minExponent] += count;
  }

  toHistogram(): Histogram {
    return {
      kind: 'exponent',
      minExponent: this.minExponent,
      positive: plainArray(this.positive),
      negative: plainArray(this.negative),
      zero: this.zero,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
    };
  }
}

/**
 * The same histogram without its empty bins at either end (`minExponent` moved up to the first
 * bin kept; inner empty bins stay, so bin i is still exponent minExponent + i). Every nonzero bin
 * keeps its exponent and count. Real tensors fill a few dozen of an F32's 277 bins (2,098 for F64):
 * the page keeps one histogram per tensor, ~4 KB each untrimmed, which for a 100,000-tensor
 * checkpoint was most of the tab's memory. Code histograms are returned as they are.
 */
export function trimExponentBins(histogram: Histogram): Histogram {
  if (histogram.kind === 'codes') {
    return histogram;
  }
  const { positive, negative } = histogram;
  const bins = Math.max(positive.length, negative.length);
  const filled = (i: number): boolean => (positive[i] ?? 0) !== 0 || (negative[i] ?? 0) !== 0;
  let first = 0;
  while (first < bins && !filled(first)) {
    first++;
  }
  let end = bins;
  while (end > first && !filled(end - 1)) {
    end--;
  }
  if (first === 0 && end === positive.length && end === negative.length) {
    return histogram;
  }
  const cut = (counts: readonly number[]): number[] =>
    Array.from({ length: end - first }, (_, i) => counts[first + i] ?? 0);
  return {
    ...histogram,
    minExponent: histogram.minExponent + (first < end ? first : 0),
    positive: cut(positive),
    negative: cut(negative),
  };
}

/**
 * Trimmed histograms by the histogram they were cut from. Histograms are immutable, and the stats
 * of zero-byte tensors share one (`EmptyTensorStats`): trimmed once, they stay shared, so a worker
 * message of thousands of such stats clones one histogram, and the page keeps one, not a million.
 */
const trimmedOf = new WeakMap<Histogram, Histogram>();

/** `stats` with its exponent histogram trimmed (`trimExponentBins`); the same object otherwise. */
export function withTrimmedHistogram(stats: TensorStats): TensorStats {
  let trimmed = stats.histogram;
  if (stats.histogram !== null) {
    trimmed = trimmedOf.get(stats.histogram) ?? trimExponentBins(stats.histogram);
    trimmedOf.set(stats.histogram, trimmed);
  }
  return trimmed === stats.histogram ? stats : { ...stats, histogram: trimmed };
}
