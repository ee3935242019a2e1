import type { TensorInfo } from '../format/tensor-info';
import type { BadValueTracker } from './bad-values';
import type { Histogram, TensorStats } from './tensor-stats';

/** The counts and moments of a scan before they are frozen into a `TensorStats`. */
export interface ValueSummary {
  nan: number;
  posInf: number;
  negInf: number;
  zero: number;
  subnormal: number;
  saturated: number;
  negative: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
}

export function emptySummary(): ValueSummary {
  return {
    nan: 0,
    posInf: 0,
    negInf: 0,
    zero: 0,
    subnormal: 0,
    saturated: 0,
    negative: 0,
    min: null,
    max: null,
    mean: null,
    std: null,
  };
}

/** -0 reads as 0 in reports: "-0 is zero, not negative". */
function plainZero(v: number | null): number | null {
  return v === 0 ? 0 : v;
}

/**
 * Mean and population std of `n` finite values from running sums: `total` = sum of v (the mean:
 * a shift far from the mean, e.g. a first value of -2^31, would cost digits here), and `sum` /
 * `sumSquares` = sums of (v - shift) and (v - shift)^2 (the variance: no cancellation when the
 * values sit far from zero).
 */
export function momentsFromSums(
  n: number,
  total: number,
  sum: number,
  sumSquares: number,
): { mean: number | null; std: number | null } {
  if (n === 0) {
    return { mean: null, std: null };
  }
  const d = sum / n;
  const variance = Math.max(0, sumSquares / n - d * d);
  return { mean: total / n, std: Math.sqrt(variance) };
}

/**
 * The index list of every tensor without NaN (or without Inf): one frozen empty array shared by
 * all their stats, instead of two new ones per tensor (400,000 tiny tensors of a MoE layer kept
 * 800,000 empty arrays).
 */
export const NO_INDICES: readonly number[] = Object.freeze([]);

/** `list` copied, or the shared NO_INDICES when it is empty. */
function indicesOf(list: readonly number[]): readonly number[] {
  return list.length === 0 ? NO_INDICES : list.slice();
}

/** The frozen stats of a scan; `bad` null: the tensor holds no NaN and no Inf (none was tracked). */
export function assembleStats(
  tensor: TensorInfo,
  floatLike: boolean,
  summary: ValueSummary,
  histogram: Histogram | null,
  bad: BadValueTracker | null,
): TensorStats {
  const min = plainZero(summary.min);
  const max = plainZero(summary.max);
  return {
    name: tensor.name,
    dtype: tensor.dtype,
    elements: tensor.elements,
    floatLike,
    nan: summary.nan,
    posInf: summary.posInf,
    negInf: summary.negInf,
    zero: summary.zero,
    subnormal: summary.subnormal,
    saturated: summary.saturated,
    negative: summary.negative,
    min,
    max,
    absmax: min === null || max === null ? null : Math.max(Math.abs(min), Math.abs(max)),
    mean: plainZero(summary.mean),
    std: summary.std,
    histogram,
    nanIndices: bad === null ? NO_INDICES : indicesOf(bad.nanIndices),
    infIndices: bad === null ? NO_INDICES : indicesOf(bad.infIndices),
    densityMap: bad === null ? null : bad.densityMap(),
  };
}
