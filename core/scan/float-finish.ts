import type { TensorInfo } from '../format/tensor-info';
import type { BadValueTracker } from './bad-values';
import type { ExponentCounts } from './exponent-histogram';
import type { TensorStats } from './tensor-stats';
import { assembleStats, emptySummary, momentsFromSums } from './value-summary';

/** The running state every sequential float kernel (F32, C64, F64) ends with. */
export interface FloatTotals {
  readonly zero: number;
  readonly subnormal: number;
  readonly negativeSubnormal: number;
  readonly saturated: number;
  readonly finite: number;
  readonly min: number;
  readonly max: number;
  readonly total: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** Layout of a kernel's sign+exponent counters: `top[sign << exponentBits | biasedExponent]`. */
export interface TopBinLayout {
  /** The biased exponent with all bits set (Inf/NaN); 0xFF for binary32, 0x7FF for binary64. */
  readonly exponentAllOnes: number;
  readonly bias: number;
}

/**
 * Stats of a float tensor from its sign+exponent counters (normal values), the subnormals and
 * NaN/Inf already in `exponents`, and the running totals. `bins`: the only counters that may be
 * non-zero, ascending (a tiny tensor's); indices past the sign+exponent ones are left out.
 * Without it, every counter is read.
 */
export function finishFloat(
  tensor: TensorInfo,
  top: Float64Array,
  layout: TopBinLayout,
  exponents: ExponentCounts,
  totals: FloatTotals,
  bad: BadValueTracker | null,
  withHistogram = true,
  bins?: readonly number[],
): TensorStats {
  const signBit = layout.exponentAllOnes + 1;
  let negative = totals.negativeSubnormal;
  if (bins === undefined) {
    for (let e = 1; e < layout.exponentAllOnes; e++) {
      if (withHistogram) {
        exponents.add(e - layout.bias, false, top[e]);
        exponents.add(e - layout.bias, true, top[signBit | e]);
      }
      negative += top[signBit | e];
    }
  } else {
    for (const at of bins) {
      const e = at & layout.exponentAllOnes;
      if (at >= 2 * signBit || e === 0 || e === layout.exponentAllOnes) {
        continue;
      }
      const isNegative = at >= signBit;
      if (withHistogram) {
        exponents.add(e - layout.bias, isNegative, top[at]);
      }
      if (isNegative) {
        negative += top[at];
      }
    }
  }
  exponents.zero = totals.zero;
  const summary = emptySummary();
  summary.nan = exponents.nan;
  summary.posInf = exponents.posInf;
  summary.negInf = exponents.negInf;
  summary.zero = totals.zero;
  summary.subnormal = totals.subnormal;
  summary.saturated = totals.saturated;
  summary.negative = negative;
  if (totals.finite > 0) {
    summary.min = totals.min;
    summary.max = totals.max;
    const m = momentsFromSums(totals.finite, totals.total, totals.sum, totals.sumSquares);
    summary.mean = m.mean;
    summary.std = m.std;
  }
  // Freezing the histogram (two ~280-bin arrays) was most of the cost of a scalar F32 scale.
  return assembleStats(tensor, true, summary, withHistogram ? exponents.toHistogram() : null, bad);
}
