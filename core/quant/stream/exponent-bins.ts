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

/**
 * Exponents of room added on each side when the bins grow: a module's scales span a few dozen
 * binary exponents, so the bins grow once or twice and stay a few hundred bytes.
 */
const GROWTH_SLACK = 32;

const NO_BINS = new Float64Array(0);

export class ExponentBins {
  /**
   * `bins[i]` counts exponent `base + i`. Allocated over the occupied range only (grown as values
   * come): one bin per double exponent was 16 KB per instance, and an analysis makes one per
   * module (100,000 experts: 1.7 GB of garbage).
   */
  private bins = NO_BINS;
  private base = 0;
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
    const e = exponentOf(v);
    if (e < this.base || e >= this.base + this.bins.length) {
      this.grow(e);
    }
    this.bins[e - this.base] += times;
  }

  /** Makes room for exponent `e`, keeping the counts so far. */
  private grow(e: number): void {
    const empty = this.bins.length === 0;
    const lo = Math.max(MIN_DOUBLE_EXPONENT, (empty ? e : Math.min(this.base, e)) - GROWTH_SLACK);
    const hi = Math.min(
      MAX_DOUBLE_EXPONENT,
      (empty ? e : Math.max(this.base + this.bins.length - 1, e)) + GROWTH_SLACK,
    );
    const bins = new Float64Array(hi - lo + 1);
    if (!empty) {
      bins.set(this.bins, this.base - lo);
    }
    this.bins = bins;
    this.base = lo;
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
      minExponent: lo > hi ? 0 : lo + this.base,
      counts: lo > hi ? [] : Array.from(this.bins.subarray(lo, hi + 1)),
      zero: this.zero,
      negative: this.negative,
      nan: this.nan,
      inf: this.inf,
    };
  }
}
