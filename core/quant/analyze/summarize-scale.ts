import type { Dtype } from '../../dtype/dtype';
import type { ScaleEncoding } from '../quant-layout';
import type { TensorRef } from '../quant-types';
import { unswizzleIndex } from '../swizzle';
import { decodeByRole, elementBytes } from '../stream/decode-values';
import { forEachRowChunk } from '../stream/row-chunks';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { sourceFor } from '../stream/read-exact';
import { isTiny, scaleLimits } from './scale-limits';

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

/** Called with every logical value and its slice (for effective-scale histograms). */
export type ScaleValueSink = (value: number, slice: number) => void;

/**
 * Streams one scale tensor, decoding each element by role (E4M3 / E8M0 bytes even when stored as
 * U8), leaving out the padding of swizzled layouts, and counts NaN, ±Inf, zero, negative,
 * saturated and subnormal values. Memory: one chunk and 256 bins.
 */
export async function summarizeScale(
  sources: SourceMap,
  ref: TensorRef,
  encoding: ScaleEncoding,
  geometry: ScaleGeometry,
  options: StreamOptions,
  sink?: ScaleValueSink,
): Promise<ScaleSummary> {
  const { info } = ref;
  const limits = scaleLimits(encoding, info.dtype);
  const eb = elementBytes(info.dtype);
  const codes = encoding === 'float' || eb !== 1 ? null : new Float64Array(256);
  const c = { elements: 0, padding: 0, nan: 0, posInf: 0, negInf: 0, zero: 0, negative: 0 };
  let saturated = 0;
  let subnormal = 0;
  let min = Infinity;
  let max = -Infinity;
  let first = NaN;
  const swizzle = geometry.swizzle;
  await forEachRowChunk(
    sourceFor(sources, ref.file, info.name),
    info,
    eb,
    options,
    (bytes, firstElement, count) => {
      const values = decodeByRole(bytes, info.dtype, encoding, count);
      for (let i = 0; i < count; i++) {
        const p = firstElement + i;
        const slice = Math.floor(p / geometry.sliceElements);
        if (swizzle !== null) {
          const at = unswizzleIndex(p - slice * geometry.sliceElements, swizzle.cols);
          if (at.row >= swizzle.rows || at.col >= swizzle.cols) {
            c.padding++;
            continue;
          }
        }
        const v = values[i];
        if (c.elements === 0) {
          first = v;
        }
        c.elements++;
        if (codes !== null) {
          codes[bytes[i]]++;
        }
        sink?.(v, slice);
        if (Number.isNaN(v)) {
          c.nan++;
          continue;
        }
        if (!Number.isFinite(v)) {
          if (v > 0) {
            c.posInf++;
          } else {
            c.negInf++;
          }
          continue;
        }
        if (v === 0) {
          c.zero++;
        } else if (v < 0) {
          c.negative++;
        }
        if (Math.abs(v) === limits.largest) {
          saturated++;
        }
        if (isTiny(v, limits)) {
          subnormal++;
        }
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    },
  );
  return {
    tensor: info.name,
    file: ref.file,
    dtype: info.dtype,
    encoding,
    ...c,
    saturated,
    subnormal,
    min: c.elements - c.nan - c.posInf - c.negInf > 0 ? min : null,
    max: c.elements - c.nan - c.posInf - c.negInf > 0 ? max : null,
    value: c.elements === 1 ? first : null,
    codes: codes === null ? null : Array.from(codes),
  };
}
