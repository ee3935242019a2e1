import type { ScaleEncoding } from '../quant-layout';
import type { TensorRef } from '../quant-types';
import { decodeByRole, elementBytes } from '../stream/decode-values';
import { codeValues, MAX_TABLE_ELEMENT_BYTES } from './code-values';
import { FEW_CODES_ELEMENTS, fewCodes, sharedHistogram } from './few-codes';
import { finishKnownCounts, summaryOf } from './finish-summary';
import { ScaleAccumulator } from './scale-accumulator';
import { cachedScaleLimits } from './scale-limits';
import type { KnownCodes, ScaleGeometry, ScaleSummary, ScaleValueSink } from './summarize-scale';

/**
 * Most elements a tensor in memory is summarised element by element (no chunks, no code tally
 * to clear): the CLI keeps tensors of at most 4 KiB (TINY_TENSOR_BYTES), 1,024 F32 or 4,096 bytes.
 * A larger one takes the chunked path of `summarizeScale`.
 */
const MAX_DIRECT_ELEMENTS = 4096;

/** The code counts of a direct summary: (slice, code) cells, cleared after each summary. */
const cellCounts = new Map<number, number>();

/** Reads one little-endian F32 (a global or input scale) without a DataView per tensor. */
const F32_BYTES = new Uint8Array(4);
const F32_VIEW = new DataView(F32_BYTES.buffer);

/**
 * The summary `summarizeScale` makes of a scale tensor without swizzle padding, directly from its
 * bytes in memory (or its known byte histogram): no closures, no tally of 256 or 65,536 cells per
 * slice. The values reach the accumulator and the sink with the same multiplicities and in the
 * same order (per slice, then code, for 1- and 2-byte scales; per element for wider ones), so
 * the summary is the same. Undefined when this path does not apply (swizzled, larger than
 * MAX_DIRECT_ELEMENTS, a 1-byte tensor split into more slices than the tally allows, bytes that are
 * not the whole tensor): the caller then takes the chunked path.
 */
export function summarizeInMemory(
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  bytes: Uint8Array | undefined,
  sink: ScaleValueSink | undefined,
  knownCodes: KnownCodes | undefined,
  /** Most code-count cells the chunked path keeps: above it, it takes values one by one. */
  maxTallyCells: number,
): ScaleSummary | undefined {
  const { info } = ref;
  if (geometry.swizzle !== null) {
    return undefined;
  }
  const eb = elementBytes(info.dtype);
  const slices =
    sink === undefined ? 1 : Math.max(1, Math.ceil(info.elements / geometry.sliceElements));
  const codeCount = eb <= MAX_TABLE_ELEMENT_BYTES ? 2 ** (8 * eb) : 0;
  const tallied = codeCount > 0 && codeCount * slices <= maxTallyCells;
  if (codeCount > 0 && !tallied) {
    return undefined;
  }
  const acc = new ScaleAccumulator(cachedScaleLimits(encoding, info.dtype));
  if (
    eb === 1 &&
    slices === 1 &&
    bytes !== undefined &&
    bytes.length === info.nbytes &&
    bytes.length <= FEW_CODES_ELEMENTS
  ) {
    // A known histogram would say the same (it counts these bytes), at the cost of reading it.
    return summarizeFewCodes(ref, encoding, bytes, acc, sink);
  }
  if (eb === 1 && slices === 1) {
    const known = knownCodes?.(ref.file, info.name);
    if (known !== undefined && known.length === 256) {
      return finishKnownCounts(ref, encoding, acc, known, sink);
    }
  }
  if (
    bytes === undefined ||
    bytes.length !== info.nbytes ||
    info.nbytes % eb !== 0 ||
    bytes.length / eb > MAX_DIRECT_ELEMENTS
  ) {
    return undefined;
  }
  const count = bytes.length / eb;
  if (tallied) {
    return summarizeCodes(ref, encoding, geometry, bytes, count, acc, codeCount, sink);
  }
  return summarizeValues(ref, encoding, geometry, bytes, count, acc, sink);
}

/**
 * A 1-byte scale of one slice and a few elements: its distinct codes ascending, as `finishSummary`
 * walks its tally, and a shared histogram as the codes.
 */
function summarizeFewCodes(
  ref: TensorRef,
  encoding: ScaleEncoding,
  bytes: Uint8Array,
  acc: ScaleAccumulator,
  sink: ScaleValueSink | undefined,
): ScaleSummary {
  const values = codeValues(ref.info.dtype, encoding);
  const few = fewCodes(bytes);
  let only: number | null = null;
  for (let r = 0; r < few.runs; r++) {
    const v = values[few.codes[r]];
    only = v;
    acc.add(v, few.counts[r]);
    sink?.(v, 0, few.counts[r]);
  }
  const codes = encoding === 'float' ? null : sharedHistogram(few);
  return summaryOf(ref, encoding, acc, 0, acc.elements === 1 ? only : null, codes);
}

/**
 * 1- and 2-byte scales: counts per (slice, code) cell, then the cells in ascending order (slice,
 * then code) to the accumulator and the sink, as `finishSummary` walks its tally.
 */
function summarizeCodes(
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  bytes: Uint8Array,
  count: number,
  acc: ScaleAccumulator,
  codeCount: number,
  sink: ScaleValueSink | undefined,
): ScaleSummary {
  const { dtype } = ref.info;
  const eb = elementBytes(dtype);
  const sliced = sink !== undefined;
  const counts = cellCounts;
  try {
    for (let k = 0; k < count; k++) {
      const code = eb === 1 ? bytes[k] : bytes[2 * k] | (bytes[2 * k + 1] << 8);
      const cell = (sliced ? Math.floor(k / geometry.sliceElements) * codeCount : 0) + code;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    const cells = Float64Array.from(counts.keys()).sort();
    const values = codeValues(dtype, encoding);
    const codes = encoding === 'float' || eb !== 1 ? null : new Array<number>(256).fill(0);
    let only: number | null = null;
    for (const cell of cells) {
      const n = counts.get(cell) ?? 0;
      const code = cell % codeCount;
      only = values[code];
      acc.add(values[code], n);
      sink?.(values[code], (cell - code) / codeCount, n);
      if (codes !== null) {
        codes[code] += n;
      }
    }
    return summaryOf(ref, encoding, acc, 0, acc.elements === 1 ? only : null, codes);
  } finally {
    counts.clear();
  }
}

/** Wider scales (F32 and up): each element decoded and added in order, as the chunked path does. */
function summarizeValues(
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  bytes: Uint8Array,
  count: number,
  acc: ScaleAccumulator,
  sink: ScaleValueSink | undefined,
): ScaleSummary {
  const { dtype } = ref.info;
  if (dtype === 'F32' && count === 1) {
    // One F32 (a global or input scale, two per NVFP4 module): no Float64Array to decode it into.
    // Byte by byte: TypedArray#set is a builtin call that costs more than four stores.
    F32_BYTES[0] = bytes[0];
    F32_BYTES[1] = bytes[1];
    F32_BYTES[2] = bytes[2];
    F32_BYTES[3] = bytes[3];
    const v = F32_VIEW.getFloat32(0, true);
    acc.add(v, 1);
    sink?.(v, 0, 1);
    return summaryOf(ref, encoding, acc, 0, v, null);
  }
  const values = decodeByRole(bytes, dtype, encoding, count);
  const slice = geometry.sliceElements;
  for (let k = 0; k < count; k++) {
    acc.add(values[k], 1);
    sink?.(values[k], Math.floor(k / slice), 1);
  }
  return summaryOf(ref, encoding, acc, 0, acc.elements === 1 ? values[0] : null, null);
}
