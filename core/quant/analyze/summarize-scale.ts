import type { Dtype } from '../../dtype/dtype';
import { BYTE_SUBTABLES, countBytes } from '../../scan/byte-histogram';
import type { ScaleEncoding } from '../quant-layout';
import type { TensorRef } from '../quant-types';
import {
  SWIZZLE_TILE_COLS,
  SWIZZLE_TILE_ELEMENTS,
  SWIZZLE_TILE_ROWS,
  unswizzleIndex,
} from '../swizzle';
import { decodeByRole, elementBytes } from '../stream/decode-values';
import { forEachRowChunk } from '../stream/row-chunks';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { sourceFor } from '../stream/read-exact';
import { MAX_TABLE_ELEMENT_BYTES } from './code-values';
import { finishSummary, summaryOf } from './finish-summary';
import { ScaleAccumulator } from './scale-accumulator';
import { scaleLimits } from './scale-limits';
import { summarizeInMemory } from './summarize-in-memory';

/** A scale tensor's values decoded by role. Counts are over logical elements (padding excluded). */
export interface ScaleSummary {
  readonly tensor: string;
  readonly file: string;
  readonly dtype: Dtype;
  readonly encoding: ScaleEncoding;
  readonly elements: number;
  /** Stored elements that are padding of a swizzled layout (not counted anywhere else). */
  readonly padding: number;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  readonly zero: number;
  readonly negative: number;
  /** At the role's largest finite magnitude (E4M3 448, E8M0 2^127, else the dtype's). */
  readonly saturated: number;
  /** Positive values at or below the smallest subnormal (E4M3 2^-9, E8M0 2^-127) or subnormal in F16/BF16/F32. */
  readonly subnormal: number;
  /** Finite values with |v| >= SENTINEL_SCALE (F32 max, E8M0 0xFE): sentinels, not scales. */
  readonly huge: number;
  /** Finite non-zero values that are not a power of two (for `scale_fmt: ue8m0` checks). */
  readonly nonPow2: number;
  /** Over finite values; null when there are none. */
  readonly min: number | null;
  readonly max: number | null;
  /** The value of a one-element scale (global / input / per-tensor), NaN included. */
  readonly value: number | null;
  /** 256-bin histogram of the stored bytes of E4M3 / E8M0 scales, else null. */
  readonly codes: readonly number[] | null;
}

/** Where the logical elements of a stored scale tensor are. */
export interface ScaleGeometry {
  /** Stored elements per leading-dim slice (the per-expert global scale index is p / sliceElements). */
  readonly sliceElements: number;
  /** For the cuBLAS 128x4 layout: the logical [rows, cols] of one slice. */
  readonly swizzle: { readonly rows: number; readonly cols: number } | null;
}

/**
 * Called with each distinct (value, slice) and how many logical elements have it, for the
 * effective-scale histogram. For 1- and 2-byte scales the calls come per code after the stream, for
 * wider dtypes per element (times = 1) as it is read.
 */
export type ScaleValueSink = (value: number, slice: number, times: number) => void;

/**
 * The 256-bin histogram of a 1-byte tensor's stored bytes when a scan already made it (the app
 * passes the scan's `codes` histograms), else undefined.
 */
export type KnownCodes = (file: string, tensor: string) => ArrayLike<number> | undefined;

/**
 * Most code-count cells (codes × slices) a summary keeps: 2 MiB of doubles. Beyond it (a 2-byte
 * scale split into many slices) values are handled one by one instead.
 */
const MAX_TALLY_CELLS = 1 << 18;

/**
 * The byte counts of one run of 1-byte codes, zero between runs: a run is counted and folded into
 * the tally synchronously, so every summary (even concurrent ones) can share this one table
 * instead of allocating 4 KB per scale tensor (four per module of 100,000 experts).
 */
const BYTE_BINS = new Uint32Array(BYTE_SUBTABLES * 256);

/** A scale summary being built: its chunks visited in element order, then finished. */
interface ScaleStream {
  /** The summary when the known byte histogram made reading unnecessary, else null. */
  readonly known: ScaleSummary | null;
  /** One chunk of whole elements, `firstElement` its index in the tensor. */
  readonly visit: (bytes: Uint8Array, firstElement: number, count: number) => void;
  readonly finish: () => ScaleSummary;
}

/**
 * Streams one scale tensor, decoding each element by role (E4M3 / E8M0 bytes even when stored as
 * U8), leaving out the padding of swizzled layouts, and counts NaN, ±Inf, zero, negative,
 * saturated and subnormal values. 1- and 2-byte scales are counted as codes per slice and decoded
 * once per distinct code (the hot loop is one increment per element); the result is the same as
 * decoding every element. Memory: one chunk and the code counts.
 */
export async function summarizeScale(
  sources: SourceMap,
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  options: StreamOptions,
  sink?: ScaleValueSink,
  knownCodes?: KnownCodes,
): Promise<ScaleSummary> {
  const stream = startScaleSummary(ref, encoding, geometry, sink, knownCodes);
  if (stream.known !== null) {
    return stream.known;
  }
  const { info } = ref;
  await forEachRowChunk(
    sourceFor(sources, ref.file, info.name),
    info,
    elementBytes(info.dtype),
    options,
    stream.visit,
  );
  return stream.finish();
}

/**
 * `summarizeScale` without a read, when the tensor's bytes (all of them) are already in memory or
 * its byte histogram is known: the same summary, synchronously. Undefined when neither is given,
 * or when `bytes` is not the whole tensor (the streamed pass then reads, or reports why it cannot).
 */
export function summarizeKnownScale(
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  bytes: Uint8Array | undefined,
  sink?: ScaleValueSink,
  knownCodes?: KnownCodes,
): ScaleSummary | undefined {
  const direct = summarizeInMemory(
    ref,
    encoding,
    geometry,
    bytes,
    sink,
    knownCodes,
    MAX_TALLY_CELLS,
  );
  if (direct !== undefined) {
    return direct;
  }
  // Summarized start to end without an await, so one scratch tally serves every summary: a
  // 100,000-expert layer allocated (and zeroed) 2 KB of counts per block scale of 2 elements.
  let used: Float64Array | null = null;
  const scratch = (n: number): Float64Array => {
    SCRATCH_TALLY ??= new Float64Array(MAX_TALLY_CELLS);
    used = SCRATCH_TALLY.subarray(0, n);
    return used;
  };
  try {
    const stream = startScaleSummary(ref, encoding, geometry, sink, knownCodes, scratch);
    if (stream.known !== null) {
      return stream.known;
    }
    const { info } = ref;
    const eb = elementBytes(info.dtype);
    if (bytes === undefined || bytes.length !== info.nbytes || info.nbytes % eb !== 0) {
      return undefined;
    }
    if (bytes.length > 0) {
      stream.visit(bytes, 0, bytes.length / eb);
    }
    return stream.finish();
  } finally {
    // Whatever happened, the scratch is all zeros again for the next summary.
    (used as Float64Array | null)?.fill(0);
  }
}

/** The shared code counts of synchronous summaries (`summarizeKnownScale`), made at first use. */
let SCRATCH_TALLY: Float64Array | null = null;

function freshCells(n: number): Float64Array {
  return new Float64Array(n);
}

function startScaleSummary(
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  sink: ScaleValueSink | undefined,
  knownCodes: KnownCodes | undefined,
  /** `n` zeroed code-count cells: fresh ones, or the shared scratch of a synchronous summary. */
  cells: (n: number) => Float64Array = freshCells,
): ScaleStream {
  const { info } = ref;
  const eb = elementBytes(info.dtype);
  const acc = new ScaleAccumulator(scaleLimits(encoding, info.dtype));
  const sliceElements = geometry.sliceElements;
  const slices = sink === undefined ? 1 : Math.max(1, Math.ceil(info.elements / sliceElements));
  const codeCount = eb <= MAX_TABLE_ELEMENT_BYTES ? 2 ** (8 * eb) : 0;
  const tally =
    codeCount > 0 && codeCount * slices <= MAX_TALLY_CELLS ? cells(codeCount * slices) : null;
  const known =
    eb === 1 && slices === 1 && geometry.swizzle === null
      ? knownCodes?.(ref.file, info.name)
      : undefined;
  if (tally !== null && known !== undefined && known.length === 256) {
    // The scan already counted this tensor's bytes: with one slice and no padding the summary is
    // a function of that histogram alone, so the tensor is not read again.
    tally.set(known);
    const summary = finishSummary(ref, encoding, acc, tally, codeCount, 0, sink);
    return { known: summary, visit: noVisit, finish: () => summary };
  }
  const swizzle = geometry.swizzle;
  const byteBins = BYTE_BINS;
  let padding = 0;
  let first = NaN;
  let seen = 0;
  const codeAt = (bytes: Uint8Array, k: number): number =>
    eb === 1 ? bytes[k] : bytes[2 * k] | (bytes[2 * k + 1] << 8);
  const visit = (bytes: Uint8Array, firstElement: number, count: number): void => {
    const values = tally === null ? decodeByRole(bytes, info.dtype, encoding, count) : null;
    const one = (k: number, slice: number): void => {
      if (seen === 0) {
        first = decodeByRole(bytes.subarray(k * eb, (k + 1) * eb), info.dtype, encoding, 1)[0];
      }
      seen++;
      if (tally !== null) {
        tally[(sink === undefined ? 0 : slice * codeCount) + codeAt(bytes, k)]++;
      } else if (values !== null) {
        acc.add(values[k], 1);
        sink?.(values[k], slice, 1);
      }
    };
    let i = 0;
    while (i < count) {
      const p = firstElement + i;
      const slice = Math.floor(p / sliceElements);
      const inSlice = p - slice * sliceElements;
      let end = Math.min(count, i + sliceElements - inSlice);
      if (swizzle !== null) {
        const sliceEnd = end;
        end = Math.min(end, i + SWIZZLE_TILE_ELEMENTS - (inSlice % SWIZZLE_TILE_ELEMENTS));
        if (tileIsLogical(inSlice, swizzle)) {
          // Whole tiles without padding are one run, however many follow each other.
          while (end < sliceEnd && tileIsLogical(inSlice + end - i, swizzle)) {
            end = Math.min(sliceEnd, end + SWIZZLE_TILE_ELEMENTS);
          }
        } else {
          for (let k = i; k < end; k++) {
            const at = unswizzleIndex(inSlice + k - i, swizzle.cols);
            if (at.row >= swizzle.rows || at.col >= swizzle.cols) {
              padding++;
            } else {
              one(k, slice);
            }
          }
          i = end;
          continue;
        }
      }
      if (tally !== null && i < end) {
        one(i, slice);
        const base = sink === undefined ? 0 : slice * codeCount;
        if (eb === 1) {
          countBytes(bytes.subarray(i + 1, end), byteBins);
          for (let t = 0; t < byteBins.length; t++) {
            tally[base + (t & 0xff)] += byteBins[t];
          }
          byteBins.fill(0);
        } else {
          for (let k = i + 1; k < end; k++) {
            tally[base + (bytes[2 * k] | (bytes[2 * k + 1] << 8))]++;
          }
        }
        seen += end - i - 1;
      } else {
        for (let k = i; k < end; k++) {
          one(k, slice);
        }
      }
      i = end;
    }
  };
  const finish = (): ScaleSummary => {
    if (tally !== null) {
      return finishSummary(ref, encoding, acc, tally, codeCount, padding, sink);
    }
    if (eb === 1) {
      throw new RangeError(`${info.name}: 1-byte scales are always counted as codes`);
    }
    return summaryOf(ref, encoding, acc, padding, acc.elements === 1 ? first : null, null);
  };
  return { known: null, visit, finish };
}

function noVisit(): void {}

/** Whether the 128x4 tile holding slice position `inSlice` has no padding at all. */
function tileIsLogical(inSlice: number, swizzle: { rows: number; cols: number }): boolean {
  const tileCols = Math.ceil(swizzle.cols / SWIZZLE_TILE_COLS);
  const tile = Math.floor(inSlice / SWIZZLE_TILE_ELEMENTS);
  const lastRow = (Math.floor(tile / tileCols) + 1) * SWIZZLE_TILE_ROWS - 1;
  const lastCol = ((tile % tileCols) + 1) * SWIZZLE_TILE_COLS - 1;
  return lastRow < swizzle.rows && lastCol < swizzle.cols;
}
