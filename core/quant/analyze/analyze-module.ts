import { decodeBlocker, decodeWeights } from '../decode/decode-weights';
import { decodeKnownFp4 } from '../decode/decode-fp4';
import { combineScale } from '../decode/decode-types';
import { globalFor, MAX_GLOBAL_SCALE_ELEMENTS, readGlobalValues } from '../decode/global-values';
import type { ModuleScheme, QuantModule, TensorRef } from '../quant-types';
import { encodingOfDtype } from '../scale-encoding';
import { decodeByRole } from '../stream/decode-values';
import { product } from '../shape-util';
import { swizzledShape } from '../swizzle';
import type { ExponentHistogram } from '../stream/exponent-bins';
import { ExponentBins } from '../stream/exponent-bins';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { refineLayout } from './refine-layout';
import type { KnownCodes, ScaleGeometry, ScaleSummary, ScaleValueSink } from './summarize-scale';
import { summarizeKnownScale, summarizeScale } from './summarize-scale';
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
  const effective = effectiveSink(globals, how);
  const scale =
    t.scale === undefined
      ? null
      : await summarizeScale(
          sources,
          t.scale,
          refined.scaleEncoding,
          geometryOf(refined, t.scale),
          options,
          effective.sink,
          options.knownCodes,
        );
  let weight: WeightSummary | null = null;
  let weightSkipped: string | null = null;
  if (weightWanted(options, scale)) {
    if (layout !== null && t.weight !== undefined && decodeBlocker(refined) === null) {
      const tally = new WeightTally(layout);
      await decodeWeights({ sources, module: refined, options }, tally);
      weight = tally.finish(t.weight.info.name, t.weight.file);
    } else {
      weightSkipped = decodeBlocker(refined);
    }
  }
  return analysisOf(
    module,
    scale,
    globalScale,
    inputScale,
    scale === null ? null : effective.finish(),
    weight,
    weightSkipped,
    await zeroPointNibbles(sources, refined, options),
  );
}

/**
 * The bytes of a tensor already in memory (the CLI keeps those of the tiny tensors its scan read),
 * else undefined. Bytes of another length than the tensor's are not used.
 */
export type KnownTensorBytes = (ref: TensorRef) => Uint8Array | undefined;

/**
 * `analyzeModule` without a read, synchronously, when nothing needs one: the scales' bytes are
 * `known` (or their byte histograms `options.knownCodes`), the layout needs no refining from tensor
 * contents, there are no GPTQ zero points to count and the weight is not to be streamed. Returns
 * the same analysis `analyzeModule` would, or undefined when any of that does not hold (the caller
 * then awaits `analyzeModule`). Saves a chain of promises per module: 100,000 experts are 100,000
 * modules whose scales are all tiny tensors the scan has just read.
 */
export function analyzeKnownModule(
  module: QuantModule,
  known: KnownTensorBytes,
  options: AnalyzeOptions = {},
): ModuleAnalysis | undefined {
  const t = module.tensors;
  const layout = module.layout;
  if (
    options.signal?.aborted === true ||
    needsRefining(module) ||
    (t.zeroPoint !== undefined && layout?.kind === 'int4' && layout.packing === 'gptq')
  ) {
    return undefined;
  }
  // Each tensor's bytes asked for once (`known` is a lookup per call: six of them per module).
  const globalBytes = t.globalScale === undefined ? undefined : known(t.globalScale);
  const scaleBytes = t.scale === undefined ? undefined : known(t.scale);
  const globalScale = summarizeKnownSmall(t.globalScale, globalBytes, options);
  const inputScale = summarizeKnownSmall(
    t.inputScale,
    t.inputScale === undefined ? undefined : known(t.inputScale),
    options,
  );
  if (globalScale === undefined || inputScale === undefined) {
    return undefined;
  }
  const how = layout?.kind === 'fp4' ? layout.globalScale : 'none';
  let globals: ArrayLike<number> | null = null;
  if (how !== 'none' && t.globalScale !== undefined) {
    const g = t.globalScale;
    if (g.info.elements <= MAX_GLOBAL_SCALE_ELEMENTS) {
      if (globalBytes === undefined || globalBytes.length !== g.info.nbytes) {
        return undefined;
      }
      globals = knownGlobals(g, globalBytes, globalScale);
    }
  }
  const effective = effectiveSink(globals, how);
  const scale =
    t.scale === undefined
      ? null
      : summarizeKnownScale(
          t.scale,
          module.scaleEncoding,
          geometryOf(module, t.scale),
          scaleBytes,
          effective.sink,
          options.knownCodes,
        );
  if (scale === undefined) {
    return undefined;
  }
  let weight: WeightSummary | null = null;
  let weightSkipped: string | null = null;
  if (weightWanted(options, scale)) {
    weightSkipped = decodeBlocker(module);
    if (layout !== null && t.weight !== undefined && weightSkipped === null) {
      const weightBytes = known(t.weight);
      const tally = new WeightTally(layout);
      if (
        layout.kind !== 'fp4' ||
        t.scale === undefined ||
        weightBytes === undefined ||
        scaleBytes === undefined ||
        !decodeKnownFp4(layout, t.weight, weightBytes, t.scale, scaleBytes, globals, tally)
      ) {
        return undefined;
      }
      weight = tally.finish(t.weight.info.name, t.weight.file);
    }
  }
  return analysisOf(
    module,
    scale,
    globalScale,
    inputScale,
    scale === null ? null : effective.finish(),
    weight,
    weightSkipped,
    null,
  );
}

/**
 * The global scale's values as `readGlobalValues` decodes them. A one-element scale whose own
 * dtype reads as a float was decoded just so by its summary: its value is taken from there instead
 * of decoding it into a Float64Array again (one per module of 100,000 experts).
 */
function knownGlobals(
  ref: TensorRef,
  bytes: Uint8Array,
  summary: ScaleSummary | null,
): ArrayLike<number> {
  const value = summary?.elements === 1 ? summary.value : null;
  if (ref.info.elements === 1 && value !== null && encodingOfDtype(ref.info.dtype) === 'float') {
    return [value];
  }
  return decodeByRole(bytes, ref.info.dtype, 'float', ref.info.elements);
}

/** Whether `refineLayout` reads a tensor for this module (compressed-tensors shape, bnb state). */
function needsRefining(module: QuantModule): boolean {
  const layout = module.layout;
  const t = module.tensors;
  return (
    (layout?.kind === 'int4' && layout.packing === 'ct-pack' && t.weightShape !== undefined) ||
    (layout?.kind === 'nf4' && t.quantState !== undefined)
  );
}

function summarizeKnownSmall(
  ref: TensorRef | undefined,
  bytes: Uint8Array | undefined,
  options: AnalyzeOptions,
): ScaleSummary | null | undefined {
  if (ref === undefined) {
    return null;
  }
  const geometry = { sliceElements: Math.max(1, product(ref.info.shape)), swizzle: null };
  const encoding = encodingOfDtype(ref.info.dtype);
  return summarizeKnownScale(ref, encoding, geometry, bytes, undefined, options.knownCodes);
}

function weightWanted(options: AnalyzeOptions, scale: ScaleSummary | null): boolean {
  const mode = options.weights ?? 'always';
  return mode === 'always' || (mode === 'if-zero-scales' && scale !== null && scale.zero > 0);
}

/** The effective scale's running range and histogram, fed by the block scale's values. */
function effectiveSink(
  globals: ArrayLike<number> | null,
  how: 'none' | 'multiply' | 'divide',
): { readonly sink: ScaleValueSink; readonly finish: () => EffectiveScale } {
  const bins = new ExponentBins();
  let min = Infinity;
  let max = -Infinity;
  return {
    sink: (v, slice, times) => {
      const e = globals === null ? v : combineScale(v, globalFor(globals, slice), how);
      bins.add(e, times);
      if (Number.isFinite(e)) {
        min = Math.min(min, e);
        max = Math.max(max, e);
      }
    },
    finish: () => ({
      min: Number.isFinite(min) ? min : null,
      max: Number.isFinite(max) ? max : null,
      histogram: bins.finish(),
    }),
  };
}

function analysisOf(
  module: QuantModule,
  scale: ScaleSummary | null,
  globalScale: ScaleSummary | null,
  inputScale: ScaleSummary | null,
  effectiveScale: EffectiveScale | null,
  weight: WeightSummary | null,
  weightSkipped: string | null,
  nibbles: readonly number[] | null,
): ModuleAnalysis {
  return {
    moduleId: module.id,
    prefix: module.prefix,
    file: module.file,
    scheme: module.scheme,
    scale,
    globalScale,
    inputScale,
    effectiveScale,
    weight,
    weightSkipped,
    zeroPointNibbles: nibbles,
  };
}
