import type { Dtype } from '../dtype/dtype';

/** At most this many NaN (and, separately, Inf) flat indices are kept per tensor: enough to locate a fault, bounded memory. */
export const MAX_BAD_INDICES = 1000;

/** The NaN/Inf density map has at most this many cells per side (256 x 256 = 64 Ki cells, 512 KiB as Float64). */
export const MAX_DENSITY_CELLS_PER_SIDE = 256;

/**
 * Distribution of a tensor's values.
 * - `codes`: the exact histogram of raw codes, for 8-bit dtypes (256 bins), F4 (16) and F6 (64);
 *   `counts[c]` is how many elements hold code `c`.
 * - `exponent`: for wider floats and for integers, one bin per binary exponent split by sign:
 *   `positive[i]` counts finite values v > 0 with floor(log2(v)) = minExponent + i (likewise `negative`
 *   for v < 0 by |v|), plus zero/NaN/Inf counts. For integers the exponent is that of |v|.
 *   A scan's bins span the whole dtype (fixed length per dtype): `minExponent` is the exponent of
 *   its smallest subnormal (F16 -24, BF16 -133, F32/C64 -149, F64 -1074; 0 for integers) and the last
 *   bin that of its largest finite value. `trimExponentBins` cuts the empty bins at both ends
 *   (the page stores histograms so): consumers must not assume the full span.
 */
export type Histogram =
  | { readonly kind: 'codes'; readonly bits: 4 | 6 | 8; readonly counts: readonly number[] }
  | {
      readonly kind: 'exponent';
      readonly minExponent: number;
      readonly positive: readonly number[];
      readonly negative: readonly number[];
      readonly zero: number;
      readonly nan: number;
      readonly posInf: number;
      readonly negInf: number;
    };

/**
 * Where NaN and Inf sit: the tensor viewed as [rows = product of leading dims, cols = last dim]
 * (a 1-D tensor is [1, n], a scalar [1, 1]), binned into cellRows x cellCols cells, each
 * cellRows = min(rows, 256), cellCols = min(cols, 256). Element (r, c) falls in cell
 * k = floor(r * cellRows / rows) * cellCols + floor(c * cellCols / cols).
 *
 * Sparse: only the cells holding any NaN or Inf are listed (`cells`, ascending), with their counts
 * at the same positions of `nan` and `inf`. A dense map is 2 x 64 Ki numbers per faulty tensor,
 * which a checkpoint with hundreds of NaN scale tensors would copy from worker to page, and keep,
 * hundreds of times; the faults themselves usually fill a handful of cells.
 */
export interface DensityMap {
  readonly rows: number;
  readonly cols: number;
  readonly cellRows: number;
  readonly cellCols: number;
  readonly cells: readonly number[];
  readonly nan: readonly number[];
  readonly inf: readonly number[];
}

/**
 * Everything a streamed scan learns about one tensor. Counts are element counts, except for C64:
 * there every count and the histogram cover the real and imaginary parts separately (they sum to
 * 2 x elements), while `nanIndices`/`infIndices` name the complex element (once) and the density
 * map counts parts, so its cells always sum to `nan` and to `posInf + negInf`.
 */
export interface TensorStats {
  readonly name: string;
  readonly dtype: Dtype;
  readonly elements: number;
  /** NaN/Inf/subnormal do not apply to integer and bool dtypes: there they are 0 and `floatLike` is false. */
  readonly floatLike: boolean;
  readonly nan: number;
  readonly posInf: number;
  readonly negInf: number;
  readonly zero: number;
  readonly subnormal: number;
  /**
   * Finite values at the dtype's largest magnitude (e.g. ±448 for F8_E4M3, ±65504 for F16). For
   * signed integers, values equal to the type's minimum or maximum (I8 -128 and 127); for unsigned
   * ones the maximum only (U8 0xFF: a zero is counted as zero); never for BOOL (value-rules.ts).
   */
  readonly saturated: number;
  readonly negative: number;
  /** Over the finite values; null when there are none. For C64, over real and imaginary parts alike. */
  readonly min: number | null;
  readonly max: number | null;
  readonly absmax: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  /**
   * Null when the scan was asked for counts only (`ScanTensorsOptions.histograms`): then every
   * other field is what a histogram scan gives, computed without one (U8 / I8: exact moments).
   */
  readonly histogram: Histogram | null;
  /** The first MAX_BAD_INDICES flat indices holding NaN, ascending. */
  readonly nanIndices: readonly number[];
  /** The first MAX_BAD_INDICES flat indices holding ±Inf, ascending. */
  readonly infIndices: readonly number[];
  /** Null when the tensor holds no NaN and no Inf. */
  readonly densityMap: DensityMap | null;
}

/** Options every scan accepts. */
export interface ScanOptions {
  /** Bytes per read; tests inject tiny values so fixtures cross chunk boundaries. */
  readonly chunkBytes?: number;
  /** Called after each chunk with the bytes of this tensor done so far. */
  readonly onProgress?: (bytesDone: number) => void;
  /** Checked between chunks; a cancelled scan rejects with a CheckpointError of code `Cancelled`. */
  readonly signal?: { readonly aborted: boolean };
  /** Scan with the WASM SIMD kernels (true) or the JS ones (false); unset: see `KernelOptions`. */
  readonly wasm?: boolean;
}
