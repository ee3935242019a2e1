import { assertUnreachable } from '../dtype/dtype';
import { analyzeModule } from './analyze/analyze-module';
import type { ElementVisitor } from './decode/decode-types';
import { decodeWeights } from './decode/decode-weights';
import type { QuantLayout } from './quant-layout';
import type { QuantModule } from './quant-types';
import { refineLayout } from './analyze/refine-layout';
import type { SourceMap, StreamOptions } from './stream/read-exact';

/** Largest |level| before scaling, per layout: E2M1 6, E4M3 448, E5M2 57344, int4 |q - z| ≤ 16, NF4 1. */
function maxLevel(layout: QuantLayout): number {
  switch (layout.kind) {
    case 'fp4':
      return 6;
    case 'fp8':
      return layout.weightDtype === 'F8_E4M3' ? 448 : 57344;
    case 'int4':
      return 16;
    case 'nf4':
      return 1;
    default:
      return assertUnreachable(layout);
  }
}

/** Bins of a dequantized histogram unless the caller asks for another count. */
export const DEFAULT_DEQUANT_BINS = 256;

export interface DequantHistogramOptions extends StreamOptions {
  readonly bins?: number;
  /** [lo, hi] of the bins; default ± (largest level × largest effective scale), from a scale pass. */
  readonly range?: readonly [number, number];
}

/**
 * The distribution of a module's dequantized weights: `counts[i]` holds finite values in
 * [lo + i·w, lo + (i+1)·w) with w = (hi - lo) / bins (hi itself in the last bin); values outside
 * [lo, hi] are only counted in `outOfRange`. Moments are over finite values.
 */
export interface DequantHistogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
  readonly elements: number;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  readonly zero: number;
  readonly outOfRange: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
}

async function defaultRange(
  sources: SourceMap,
  module: QuantModule,
  options: StreamOptions,
): Promise<[number, number]> {
  const layout = module.layout;
  const analysis = await analyzeModule(sources, module, { ...options, weights: 'never' });
  const eff = analysis.effectiveScale;
  const scale = Math.max(Math.abs(eff?.min ?? 0), Math.abs(eff?.max ?? 0));
  const bound = layout === null ? 0 : maxLevel(layout) * scale;
  return Number.isFinite(bound) && bound > 0 ? [-bound, bound] : [-1, 1];
}

/**
 * Streams a module's weight with its scales and bins every dequantized value (the app runs this in
 * a worker for the module the user picks). Memory: one chunk, the scale bands and the bins.
 */
export async function dequantizedHistogram(
  sources: SourceMap,
  module: QuantModule,
  options: DequantHistogramOptions = {},
): Promise<DequantHistogram> {
  const refined = await refineLayout(sources, module);
  const bins = options.bins ?? DEFAULT_DEQUANT_BINS;
  if (!Number.isSafeInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  const [lo, hi] = options.range ?? (await defaultRange(sources, refined, options));
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  const s = {
    elements: 0,
    nan: 0,
    posInf: 0,
    negInf: 0,
    zero: 0,
    outOfRange: 0,
    finite: 0,
    sum: 0,
    sumSq: 0,
  };
  let min = Infinity;
  let max = -Infinity;
  const visit: ElementVisitor = {
    element(_index, _code, _level, value) {
      s.elements++;
      if (Number.isNaN(value)) {
        s.nan++;
        return;
      }
      if (!Number.isFinite(value)) {
        if (value > 0) {
          s.posInf++;
        } else {
          s.negInf++;
        }
        return;
      }
      s.finite++;
      s.sum += value;
      s.sumSq += value * value;
      min = Math.min(min, value);
      max = Math.max(max, value);
      if (value === 0) {
        s.zero++;
      }
      if (value < lo || value > hi || width <= 0) {
        s.outOfRange++;
        return;
      }
      counts[Math.min(bins - 1, Math.floor((value - lo) / width))]++;
    },
    zeroed() {},
  };
  await decodeWeights({ sources, module: refined, options }, visit);
  const mean = s.finite > 0 ? s.sum / s.finite : null;
  return {
    lo,
    hi,
    counts: Array.from(counts),
    elements: s.elements,
    nan: s.nan,
    posInf: s.posInf,
    negInf: s.negInf,
    zero: s.zero,
    outOfRange: s.outOfRange,
    min: s.finite > 0 ? min : null,
    max: s.finite > 0 ? max : null,
    mean,
    std: mean === null ? null : Math.sqrt(Math.max(0, s.sumSq / s.finite - mean * mean)),
  };
}

/**
 * Dequantized values of elements [start, start + count) in the layout's `elementShape` order (the
 * unpacked weight as laid out on disk: [C, R] for AWQ/GPTQ, [E, in, out] for BMM-style experts).
 * Streams the whole weight but keeps only the asked-for values; for spot checks and small modules.
 */
export async function dequantizeElements(
  sources: SourceMap,
  module: QuantModule,
  range: { readonly start: number; readonly count: number },
  options: StreamOptions = {},
): Promise<Float64Array> {
  const refined = await refineLayout(sources, module);
  const out = new Float64Array(range.count).fill(NaN);
  const end = range.start + range.count;
  await decodeWeights(
    { sources, module: refined, options },
    {
      element(index, _code, _level, value) {
        if (index >= range.start && index < end) {
          out[index - range.start] = value;
        }
      },
      zeroed() {},
    },
  );
  return out;
}
