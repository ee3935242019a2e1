import { exponentOf } from '../../dtype/pow2';

/**
 * A histogram of magnitudes by binary exponent: `counts[i]` is how many finite non-zero values v
 * have floor(log2 |v|) = minExponent + i (negatives by |v|, also counted in `negative`). Fixed
 * memory: one bin per double exponent at most, trimmed to the occupied range when finished.
 */
export interface ExponentHistogram {
  readonly minExponent: number;
  readonly counts: readonly number[];
  readonly zero: number;
  readonly negative: number;
  readonly nan: number;
  readonly inf: number;
}

/** floor(log2) of the smallest subnormal double. */
const MIN_DOUBLE_EXPONENT = -1074;
/** floor(log2) of the largest finite double. */
const MAX_DOUBLE_EXPONENT = 1023;

export class ExponentBins {
  private readonly bins = new Float64Array(MAX_DOUBLE_EXPONENT - MIN_DOUBLE_EXPONENT + 1);
  private zero = 0;
  private negative = 0;
  private nan = 0;
  private inf = 0;

  add(v: number, times = 1): void {
    if (Number.isNaN(v)) {
      this.nan += times;
      return;
    }
    if (!Number.isFinite(v)) {
      this.inf += times;
      return;
    }
    if (v === 0) {
      this.zero += times;
      return;
    }
    if (v < 0) {
      this.negative += times;
    }
    this.bins[exponentOf(v) - MIN_DOUBLE_EXPONENT] += times;
  }

  finish(): ExponentHistogram {
    let lo = 0;
    while (lo < this.bins.length && this.bins[lo] === 0) {
      lo++;
    }
    let hi = this.bins.length - 1;
    while (hi >= lo && this.bins[hi] === 0) {
      hi--;
    }
    return {
      minExponent: lo > hi ? 0 : lo + MIN_DOUBLE_EXPONENT,
      counts: lo > hi ? [] : Array.from(this.bins.subarray(lo, hi + 1)),
      zero: this.zero,
      negative: this.negative,
      nan: this.nan,
      inf: this.inf,
    };
  }
}
