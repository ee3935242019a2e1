import { decodeBlocker, decodeWeights } from '../decode/decode-weights';
import { combineScale } from '../decode/decode-types';
import { globalFor, readGlobalValues } from '../decode/global-values';
import type { ModuleScheme, QuantModule, TensorRef } from '../quant-types';
import { encodingOfDtype } from '../scale-encoding';
import { product } from '../shape-util';
import { swizzledShape } from '../swizzle';
import type { ExponentHistogram } from '../stream/exponent-bins';
import { ExponentBins } from '../stream/exponent-bins';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { refineLayout } from './refine-layout';
import type { KnownCodes, ScaleGeometry, ScaleSummary } from './summarize-scale';
import { summarizeScale } from './summarize-scale';
import type { WeightSummary } from './weight-pass';
import { WeightTally } from './weight-pass';
import { zeroPointNibbles } from './zero-point-nibbles';

export interface AnalyzeOptions extends StreamOptions {
  /**
   * When to stream the (large) weight besides the scales: `always` (code histograms, for the app),
   * `if-zero-scales` (only to check blocks under zero scales: the CLI), or `never`. Default `always`.
   */
  readonly weights?: 'always' | 'if-zero-scales' | 'never';
  /** Byte histograms the scan already made: 1-byte scales found here are not read again. */
  readonly knownCodes?: KnownCodes;
}

/** The effective block scale (block × global, or ÷ for compressed-tensors): range and histogram. */
export interface EffectiveScale {
  readonly min: number | null;
  readonly max: number | null;
  readonly histogram: ExponentHistogram;
}

export interface ModuleAnalysis {
  readonly moduleId: string;
  readonly prefix: string;
  readonly file: string;
  readonly scheme: ModuleScheme;
  /** The block / group / channel / tensor scale, decoded by role. */
  readonly scale: ScaleSummary | null;
  readonly globalScale: ScaleSummary | null;
  readonly inputScale: ScaleSummary | null;
  readonly effectiveScale: EffectiveScale | null;
  /** Null when the weight was not streamed (see `weightSkipped`). */
  readonly weight: WeightSummary | null;
  /** Why a weight pass that was wanted could not run, else null. */
  readonly weightSkipped: string | null;
  /** GPTQ `qzeros` nibbles as stored (16 bins), else null (zero-point-format). */
  readonly zeroPointNibbles: readonly number[] | null;
}

function geometryOf(module: QuantModule, scale: TensorRef): ScaleGeometry {
  const layout = module.layout;
  if (layout?.kind !== 'fp4') {
    return { sliceElements: Math.max(1, scale.info.elements), swizzle: null };
  }
  const ss = layout.scaleShape;
  const rows = ss.length >= 2 ? ss[ss.length - 2] : 1;
  const cols = ss[ss.length - 1];
  if (layout.scaleLayout === 'cublas-128x4') {
    const [pr, pc] = swizzledShape(rows, cols);
    return { sliceElements: pr * pc, swizzle: { rows, cols } };
  }
  return { sliceElements: Math.max(1, rows * cols), swizzle: null };
}

async function summarizeSmall(
  sources: SourceMap,
  ref: TensorRef | undefined,
  options: AnalyzeOptions,
): Promise<ScaleSummary | null> {
  if (ref === undefined) {
    return null;
  }
  const geometry = { sliceElements: Math.max(1, product(ref.info.shape)), swizzle: null };
  const encoding = encodingOfDtype(ref.info.dtype);
  return summarizeScale(sources, ref, encoding, geometry, options, undefined, options.knownCodes);
}

/**
 * Analyses one quantized module: streams its scale tensors, decoded by role (E4M3 / E8M0 bytes even
 * when stored as U8; swizzle padding left out), builds the effective block scale's histogram, and,
 * as `options.weights` says, streams the weight with its scales for code histograms and blocks
 * silently zeroed by a zero scale. Memory is bounded by the chunk size and the bins.
 */
export async function analyzeModule(
  sources: SourceMap,
  module: QuantModule,
  options: AnalyzeOptions = {},
): Promise<ModuleAnalysis> {
  const refined = await refineLayout(sources, module);
  const t = refined.tensors;
  const globalScale = await summarizeSmall(sources, t.globalScale, options);
  const inputScale = await summarizeSmall(sources, t.inputScale, options);
  const layout = refined.layout;
  const how = layout?.kind === 'fp4' ? layout.globalScale : 'none';
  const globals = how === 'none' ? null : await readGlobalValues(sources, t.globalScale);
  const bins = new ExponentBins();
  let min = Infinity;
  let max = -Infinity;
  const scale =
    t.scale === undefined
      ? null
      : await summarizeScale(
          sources,
          t.scale,
          refined.scaleEncoding,
          geometryOf(refined, t.scale),
          options,
          (v, slice, times) => {
            const e = globals === null ? v : combineScale(v, globalFor(globals, slice), how);
            bins.add(e, times);
            if (Number.isFinite(e)) {
              min = Math.min(min, e);
              max = Math.max(max, e);
            }
          },
          options.knownCodes,
        );
  const mode = options.weights ?? 'always';
  const wanted =
    mode === 'always' || (mode === 'if-zero-scales' && scale !== null && scale.zero > 0);
  let weight: WeightSummary | null = null;
  let weightSkipped: string | null = null;
  if (wanted && layout !== null && t.weight !== undefined && decodeBlocker(refined) === null) {
    const tally = new WeightTally(layout);
    await decodeWeights({ sources, module: refined, options }, tally);
    weight = tally.finish(t.weight.info.name, t.weight.file);
  } else if (wanted) {
    weightSkipped = decodeBlocker(refined);
  }
  return {
    moduleId: module.id,
    prefix: module.prefix,
    file: module.file,
    scheme: module.scheme,
    scale,
    globalScale,
    inputScale,
    effectiveScale:
      scale === null
        ? null
        : {
            min: Number.isFinite(min) ? min : null,
            max: Number.isFinite(max) ? max : null,
            histogram: bins.finish(),
          },
    weight,
    weightSkipped,
    zeroPointNibbles: await zeroPointNibbles(sources, refined, options),
  };
}
