import type { ScaleEncoding } from '../quant-layout';
import type { TensorRef } from '../quant-types';
import { elementBytes } from '../stream/decode-values';
import { codeValues } from './code-values';
import type { ScaleAccumulator } from './scale-accumulator';
import type { ScaleSummary, ScaleValueSink } from './summarize-scale';

/** Adds the counted codes to `acc` (and the sink), slice by slice, and builds the summary. */
export function finishSummary(
  ref: TensorRef,
  encoding: ScaleEncoding,
  acc: ScaleAccumulator,
  tally: Float64Array,
  codeCount: number,
  padding: number,
  sink: ScaleValueSink | undefined,
): ScaleSummary {
  const { dtype } = ref.info;
  const values = codeValues(dtype, encoding);
  const codes =
    encoding === 'float' || elementBytes(dtype) !== 1 ? null : new Array<number>(256).fill(0);
  let only: number | null = null;
  for (let slice = 0; slice < tally.length / codeCount; slice++) {
    for (let code = 0; code < codeCount; code++) {
      const n = tally[slice * codeCount + code];
      if (n > 0) {
        only = values[code];
        acc.add(values[code], n);
        sink?.(values[code], slice, n);
        if (codes !== null) {
          codes[code] += n;
        }
      }
    }
  }
  return summaryOf(ref, encoding, acc, padding, acc.elements === 1 ? only : null, codes);
}

/**
 * `finishSummary` of a 1-byte tensor of one slice whose byte histogram (`counts`, 256 bins) is
 * known, without copying it into a tally. When `counts` is a plain array of non-negative counts it
 * is the summary's `codes` too (the same numbers `finishSummary` would copy out): the scan's
 * histograms are kept anyway, and 100,000 expert scales made 100,000 copies of 256 numbers.
 */
export function finishKnownCounts(
  ref: TensorRef,
  encoding: ScaleEncoding,
  acc: ScaleAccumulator,
  counts: ArrayLike<number>,
  sink: ScaleValueSink | undefined,
): ScaleSummary {
  const values = codeValues(ref.info.dtype, encoding);
  const keepCodes = encoding !== 'float';
  let plain = Array.isArray(counts);
  let only: number | null = null;
  for (let code = 0; code < 256; code++) {
    const n = counts[code];
    if (n > 0) {
      only = values[code];
      acc.add(values[code], n);
      sink?.(values[code], 0, n);
    } else if (n !== 0 || 1 / n < 0) {
      // NaN, a negative count or -0: finishSummary would write 0 there, so copy instead.
      plain = false;
    }
  }
  let codes: readonly number[] | null = null;
  if (keepCodes) {
    codes = plain ? (counts as readonly number[]) : copiedCounts(counts);
  }
  return summaryOf(ref, encoding, acc, 0, acc.elements === 1 ? only : null, codes);
}

/** The 256 counts as `finishSummary` writes them: positive counts kept, anything else 0. */
function copiedCounts(counts: ArrayLike<number>): number[] {
  const codes = new Array<number>(256).fill(0);
  for (let code = 0; code < 256; code++) {
    const n = counts[code];
    if (n > 0) {
      codes[code] = n;
    }
  }
  return codes;
}

export function summaryOf(
  ref: TensorRef,
  encoding: ScaleEncoding,
  acc: ScaleAccumulator,
  padding: number,
  value: number | null,
  codes: readonly number[] | null,
): ScaleSummary {
  return {
    tensor: ref.info.name,
    file: ref.file,
    dtype: ref.info.dtype,
    encoding,
    elements: acc.elements,
    padding,
    nan: acc.nan,
    posInf: acc.posInf,
    negInf: acc.negInf,
    zero: acc.zero,
    negative: acc.negative,
    saturated: acc.saturated,
    subnormal: acc.subnormal,
    huge: acc.huge,
    nonPow2: acc.nonPow2,
    min: acc.min,
    max: acc.max,
    value,
    codes,
  };
}
