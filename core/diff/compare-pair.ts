import { dtypeKind } from '../dtype/dtype';
import { isCheckpointError } from '../format/errors';
import { refineLayout } from '../quant/analyze/refine-layout';
import { decodeBlocker } from '../quant/decode/decode-weights';
import type { QuantLayout } from '../quant/quant-layout';
import type { QuantModule, TensorRef } from '../quant/quant-types';
import { product, sameShape, shapeText } from '../quant/shape-util';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { sourceFor } from '../quant/stream/read-exact';
import { tensorBytesEqual } from './bytes-equal';
import { moduleStream } from './module-stream';
import type { DiffError, DiffFinding, PairResult, PairTensor } from './diff-types';
import { compareFp4Fused } from './fused-fp4';
import { compareFp8Fused } from './fused-fp8';
import { comparePlainFused } from './fused-plain';
import { layoutFindings, nibblePairsOf, otherScaleLayout } from './layout-check';
import { lockstep } from './lockstep';
import { CosineAccumulator, PairMetrics } from './pair-metrics';
import type { MetricsSummary } from './pair-metrics';
import type { PairSide, PlannedPair } from './pairing';
import { byteAddressable, plainStream, transposedStream } from './value-stream';
import type { ValueStream } from './value-stream';

export interface CompareOptions extends StreamOptions {
  /** Called with the elements compared so far in this pair (progress). */
  readonly onElements?: (elements: number) => void;
  /** Sees every compared run of values, A and B (the detail's histograms). */
  readonly onValues?: ValuesVisitor;
  /**
   * `false`: FP4 and FP8 modules against float weights, and BF16/F32 tensors against each other, go
   * through the value streams and PairMetrics (the JS reference) even where the fused WASM
   * kernels could read them (tests compare the two).
   */
  readonly wasm?: boolean;
}

/** A run of `n` values of A (from `aAt` in `a`) and the same elements of B. */
export type ValuesVisitor = (
  a: Float64Array,
  aAt: number,
  b: Float64Array,
  bAt: number,
  n: number,
) => void;

export interface PairOutcome {
  readonly result: PairResult;
  readonly findings: DiffFinding[];
  readonly errors: DiffError[];
}

/** How many elements a pair will stream (progress totals). */
export function pairElements(pair: PlannedPair): number {
  const side = pair.a.kind === 'module' ? pair.b : pair.a;
  if (side.kind === 'tensor') {
    return side.ref.info.elements;
  }
  // Unpacked elements (two per packed FP4 byte, eight per int4 word), as the walk counts them.
  const layout = side.module.layout;
  return layout === null ? weightOf(side.module).info.elements : product(layout.elementShape);
}

function weightOf(module: QuantModule): TensorRef {
  const ref = module.tensors.weight;
  if (ref === undefined) {
    throw new Error(`${module.prefix}: no weight tensor`);
  }
  return ref;
}

function describe(side: PairSide): PairTensor {
  if (side.kind === 'tensor') {
    return { dtype: side.ref.info.dtype, shape: side.ref.info.shape, scheme: null };
  }
  const w = weightOf(side.module).info;
  return { dtype: w.dtype, shape: w.shape, scheme: side.module.scheme };
}

const NOT_COMPUTED = {
  sqnrDb: null,
  relL2: null,
  cosine: null,
  maxAbsError: null,
  bitIdentical: null,
  nanA: null,
  nanB: null,
  infA: null,
  infB: null,
  newNonFiniteB: null,
  elements: null,
} as const;

function base(
  pair: PlannedPair,
): Omit<PairResult, keyof typeof NOT_COMPUTED | 'identical' | 'notCompared'> {
  return {
    name: pair.name,
    module: pair.key.module,
    layer: pair.key.layer,
    expert: pair.key.expert,
    a: describe(pair.a),
    b: describe(pair.b),
  };
}

function notCompared(pair: PlannedPair, why: string, identical: boolean | null = null): PairResult {
  return { ...base(pair), identical, ...NOT_COMPUTED, notCompared: why };
}

function measured(pair: PlannedPair, m: MetricsSummary): PairResult {
  return { ...base(pair), identical: false, ...m, notCompared: null };
}

function identicalResult(pair: PlannedPair): PairResult {
  return { ...base(pair), identical: true, ...NOT_COMPUTED, notCompared: null };
}

/** How element k of the plain side maps onto the module's element order. */
type Order = 'same' | 'transposed';

/**
 * `transposedFirst`: the layout stores the weight transposed against the float Linear's [out, in]
 * (AWQ / GPTQ keep [in, out]), so a square weight is read transposed, not as it lies.
 */
function orderOf(
  plain: readonly number[],
  elementShape: readonly number[],
  transposedFirst = false,
): Order | null {
  const n = plain.length;
  const transposes =
    n >= 2 &&
    n === elementShape.length &&
    plain.slice(0, -2).every((d, i) => d === elementShape[i]) &&
    plain[n - 2] === elementShape[n - 1] &&
    plain[n - 1] === elementShape[n - 2];
  if (transposedFirst && transposes) {
    return 'transposed';
  }
  if (sameShape(plain, elementShape)) {
    return 'same';
  }
  if (product(plain) === product(elementShape) && (n === 1 || elementShape.length === 1)) {
    return 'same';
  }
  return transposes ? 'transposed' : null;
}

/** Layouts whose element order is the transpose of the float weight's [out, in]. */
function storedTransposed(layout: QuantLayout): boolean {
  return layout.kind === 'int4' && (layout.packing === 'awq-gemm' || layout.packing === 'gptq');
}

function failure(pair: PlannedPair, side: PairSide, e: unknown): DiffError {
  const file = side.kind === 'tensor' ? side.ref.file : side.module.file;
  if (isCheckpointError(e)) {
    return { path: e.file, code: e.code, message: e.message };
  }
  return {
    path: file,
    code: 'CompareFailed',
    message: `${pair.name}: ${e instanceof Error ? e.message : String(e)}`,
  };
}

/**
 * Compares one pair, streaming both sides in lockstep. Never rejects on bad data: a pair that cannot
 * be compared comes back with `notCompared` and an error; only a cancel rejects.
 */
export async function comparePair(
  pair: PlannedPair,
  aSources: SourceMap,
  bSources: SourceMap,
  options: CompareOptions,
): Promise<PairOutcome> {
  try {
    if (pair.a.kind === 'tensor' && pair.b.kind === 'tensor') {
      return await comparePlain(pair, pair.a.ref, pair.b.ref, aSources, bSources, options);
    }
    if (pair.a.kind === 'module' && pair.b.kind === 'module') {
      return await compareModules(pair, pair.a.module, pair.b.module, aSources, bSources, options);
    }
    return await compareMixed(pair, aSources, bSources, options);
  } catch (e) {
    if (isCheckpointError(e) && e.code === 'Cancelled') {
      throw e;
    }
    const side = pair.b;
    return {
      result: notCompared(pair, 'reading or decoding failed (see errors)'),
      findings: [],
      errors: [failure(pair, side, e)],
    };
  }
}

async function comparePlain(
  pair: PlannedPair,
  a: TensorRef,
  b: TensorRef,
  aSources: SourceMap,
  bSources: SourceMap,
  options: CompareOptions,
): Promise<PairOutcome> {
  const findings: DiffFinding[] = [];
  if (!sameShape(a.info.shape, b.info.shape)) {
    findings.push({
      rule: 'shape-changed',
      severity: 'warning',
      name: pair.name,
      message: `${pair.name}: shape ${shapeText(a.info.shape)} in A, ${shapeText(b.info.shape)} in B`,
    });
    return { result: notCompared(pair, 'shape changed'), findings, errors: [] };
  }
  if (a.info.dtype !== b.info.dtype) {
    findings.push({
      rule: 'dtype-changed',
      severity: 'info',
      name: pair.name,
      message: `${pair.name}: ${a.info.dtype} in A, ${b.info.dtype} in B`,
    });
  } else if (await tensorBytesEqual(a, aSources, b, bSources, options)) {
    return { result: identicalResult(pair), findings, errors: [] };
  }
  if (dtypeKind(a.info.dtype) === 'complex' || dtypeKind(b.info.dtype) === 'complex') {
    return { result: notCompared(pair, 'complex tensors are not compared'), findings, errors: [] };
  }
  const aSide = { source: sourceFor(aSources, a.file, a.info.name), info: a.info };
  const bSide = { source: sourceFor(bSources, b.file, b.info.name), info: b.info };
  if (options.onValues === undefined && options.wasm !== false) {
    const fused = await comparePlainFused(aSide, bSide, options);
    if (fused !== null) {
      return { result: measured(pair, fused), findings, errors: [] };
    }
  }
  const metrics = new PairMetrics();
  await lockstep(
    [plainStream(aSide.source, a.info, options), plainStream(bSide.source, b.info, options)],
    (blocks, at, n) => {
      metrics.add(blocks[0].values, at[0], blocks[1].values, at[1], n);
      options.onValues?.(blocks[0].values, at[0], blocks[1].values, at[1], n);
    },
    options.onElements,
  );
  return { result: measured(pair, metrics.summary()), findings, errors: [] };
}

/** Every tensor of two modules' roles: same roles, dtypes, shapes and bytes. */
async function modulesIdentical(
  a: QuantModule,
  b: QuantModule,
  aSources: SourceMap,
  bSources: SourceMap,
  options: StreamOptions,
): Promise<boolean> {
  const roles = new Set([...Object.keys(a.tensors), ...Object.keys(b.tensors)]);
  for (const role of roles) {
    const x = Reflect.get(a.tensors, role) as TensorRef | undefined;
    const y = Reflect.get(b.tensors, role) as TensorRef | undefined;
    if (x === undefined || y === undefined) {
      return false;
    }
    if (!(await tensorBytesEqual(x, aSources, y, bSources, options))) {
      return false;
    }
  }
  return true;
}

function blocked(pair: PlannedPair, module: QuantModule, side: 'A' | 'B'): PairOutcome | null {
  const why = decodeBlocker(module);
  if (why === null && module.layout !== null) {
    return null;
  }
  const message = `${module.prefix} in ${side} cannot be dequantized: ${why ?? 'no layout'}`;
  return {
    result: notCompared(pair, message),
    findings: [],
    errors: [{ path: module.file, code: 'NotDequantized', message }],
  };
}

async function compareModules(
  pair: PlannedPair,
  rawA: QuantModule,
  rawB: QuantModule,
  aSources: SourceMap,
  bSources: SourceMap,
  options: CompareOptions,
): Promise<PairOutcome> {
  if (await modulesIdentical(rawA, rawB, aSources, bSources, options)) {
    return { result: identicalResult(pair), findings: [], errors: [] };
  }
  const ma = await refineLayout(aSources, rawA);
  const mb = await refineLayout(bSources, rawB);
  const stop = blocked(pair, ma, 'A') ?? blocked(pair, mb, 'B');
  if (stop !== null || ma.layout === null || mb.layout === null) {
    return stop ?? { result: notCompared(pair, 'no layout'), findings: [], errors: [] };
  }
  if (
    storedTransposed(ma.layout) !== storedTransposed(mb.layout) ||
    orderOf(ma.layout.elementShape, mb.layout.elementShape) !== 'same'
  ) {
    const message = `${pair.name}: the two sides lay out their elements differently (${shapeText(ma.layout.elementShape)} in A, ${shapeText(mb.layout.elementShape)} in B)`;
    return {
      result: notCompared(pair, message),
      findings: [],
      errors: [{ path: mb.file, code: 'NotCompared', message }],
    };
  }
  const metrics = new PairMetrics();
  await lockstep(
    [moduleStream(aSources, ma, options, null), moduleStream(bSources, mb, options, null)],
    (blocks, at, n) => {
      metrics.add(blocks[0].values, at[0], blocks[1].values, at[1], n);
      options.onValues?.(blocks[0].values, at[0], blocks[1].values, at[1], n);
    },
    options.onElements,
  );
  return { result: measured(pair, metrics.summary()), findings: [], errors: [] };
}

async function compareMixed(
  pair: PlannedPair,
  aSources: SourceMap,
  bSources: SourceMap,
  options: CompareOptions,
): Promise<PairOutcome> {
  const moduleOnA = pair.a.kind === 'module';
  const quantSide = moduleOnA ? pair.a : pair.b;
  const plainSide = moduleOnA ? pair.b : pair.a;
  if (quantSide.kind !== 'module' || plainSide.kind !== 'tensor') {
    throw new Error('compareMixed needs one module and one tensor');
  }
  const qSources = moduleOnA ? aSources : bSources;
  const pSources = moduleOnA ? bSources : aSources;
  const module = await refineLayout(qSources, quantSide.module);
  const stop = blocked(pair, module, moduleOnA ? 'A' : 'B');
  const layout = module.layout;
  if (stop !== null || layout === null) {
    return stop ?? { result: notCompared(pair, 'no layout'), findings: [], errors: [] };
  }
  const plain = plainSide.ref;
  const order = orderOf(plain.info.shape, layout.elementShape, storedTransposed(layout));
  if (order === null || (order === 'transposed' && !byteAddressable(plain.info))) {
    const message = `${pair.name}: ${shapeText(plain.info.shape)} does not match the quantized module's ${shapeText(layout.elementShape)}`;
    return {
      result: notCompared(pair, message),
      findings: [{ rule: 'shape-changed', severity: 'warning', name: pair.name, message }],
      errors: [],
    };
  }
  if (dtypeKind(plain.info.dtype) === 'complex') {
    return {
      result: notCompared(pair, 'complex tensors are not compared'),
      findings: [],
      errors: [],
    };
  }
  const source = sourceFor(pSources, plain.file, plain.info.name);
  // The WASM kernels read the float side in file order and report no per-value visits.
  const fusable = order === 'same' && options.onValues === undefined && options.wasm !== false;
  const plainRead = { source, info: plain.info };
  const plainLabel = moduleOnA ? 'B' : 'A';
  if (layout.kind === 'fp4' && fusable) {
    const fused = await compareFp4Fused(plainRead, qSources, module, layout, plainLabel, options);
    if (fused !== null) {
      const findings = layoutFindings(module.prefix, layout, {
        asRead: fused.metrics.cosine,
        nibblesSwapped: fused.nibblesSwapped,
        otherScaleLayout: null,
      });
      return { result: measured(pair, fused.metrics), findings, errors: [] };
    }
  }
  if (layout.kind === 'fp8' && fusable) {
    const fused = await compareFp8Fused(plainRead, qSources, module, layout, plainLabel, options);
    if (fused !== null) {
      return { result: measured(pair, fused), findings: [], errors: [] };
    }
  }
  const plainValues: ValueStream =
    order === 'same'
      ? plainStream(source, plain.info, options)
      : transposedStream(source, plain.info, options);
  const checkLayout = layout.kind === 'fp4' && dtypeKind(plain.info.dtype) === 'float';
  const swap = layout.kind === 'fp4' && checkLayout ? nibblePairsOf(layout) : null;
  const otherScales =
    layout.kind === 'fp4' && checkLayout ? otherScaleLayout(module, layout) : null;
  const streams: ValueStream[] = [plainValues, moduleStream(qSources, module, options, swap)];
  if (otherScales !== null) {
    streams.push(moduleStream(qSources, otherScales, options, null));
  }
  const metrics = new PairMetrics();
  const swapped = new CosineAccumulator();
  const rescaled = new CosineAccumulator();
  await lockstep(
    streams,
    (blocks, at, n) => {
      const p = blocks[0];
      const q = blocks[1];
      if (moduleOnA) {
        metrics.add(q.values, at[1], p.values, at[0], n);
        options.onValues?.(q.values, at[1], p.values, at[0], n);
      } else {
        metrics.add(p.values, at[0], q.values, at[1], n);
        options.onValues?.(p.values, at[0], q.values, at[1], n);
      }
      if (q.alt !== null) {
        swapped.add(p.values, at[0], q.alt, at[1], n);
      }
      if (blocks.length > 2) {
        rescaled.add(p.values, at[0], blocks[2].values, at[2], n);
      }
    },
    options.onElements,
  );
  const summary = metrics.summary();
  const findings =
    layout.kind === 'fp4' && checkLayout
      ? layoutFindings(module.prefix, layout, {
          asRead: summary.cosine,
          nibblesSwapped: swap === null ? null : swapped.cosine(),
          otherScaleLayout: otherScales === null ? null : rescaled.cosine(),
        })
      : [];
  return { result: measured(pair, summary), findings, errors: [] };
}
