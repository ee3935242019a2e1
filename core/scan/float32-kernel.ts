import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { CountTable } from './count-table';
import { ExponentCounts, exponentRange } from './exponent-histogram';
import type { ExponentRange } from './exponent-histogram';
import type { FloatTotals, TopBinLayout } from './float-finish';
import { finishFloat } from './float-finish';
import type { ScanKernel } from './scan-kernel';
import { assertLittleEndian, BlockSplitter, ChunkAligner, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';

/** binary32 layout: 1 sign, 8 exponent (bias 127), 23 mantissa bits. */
const F32_EXPONENT_BIAS = 127;
const F32_MANTISSA_BITS = 23;
const F32_MANTISSA_MASK = 0x7fffff;
const F32_EXPONENT_ALL_ONES = 0xff;
/** |bits| of the largest finite binary32, 0x7F7FFFFF: the only saturated magnitude. */
const F32_LARGEST_FINITE_BITS = 0x7f7fffff;
/** A subnormal's value is mantissa * 2^-149. */
const F32_SUBNORMAL_SCALE_EXPONENT = -149;
/**
 * Hot-loop counters: [0, 512) one per sign + biased exponent (the top 9 bits; normal values), then
 * [512, 576) subnormals by sign * 32 + the position of their highest mantissa bit.
 */
const F32_SUBNORMAL_BASE = 512;
export const F32_TOP_BINS = F32_SUBNORMAL_BASE + 64;

/**
 * The running sums and counts of an F32/C64 scan, in element order (see Float32Kernel): the float
 * totals but the subnormal counts, which F32 keeps in its top bins.
 */
export type Float32Sums = Omit<FloatTotals, 'subnormal' | 'negativeSubnormal'>;

/**
 * The exponent bins of an F32 or C64 tensor and log2 of its float parts per element (0 for F32, 1
 * for C64); throws for any other dtype (a caller bug).
 */
export function float32Layout(tensor: TensorInfo): { range: ExponentRange; partsShift: number } {
  const range = exponentRange(tensor.dtype);
  if (range === null || (tensor.dtype !== 'F32' && tensor.dtype !== 'C64')) {
    throw new Error(`${tensor.dtype} is not F32 or C64`);
  }
  return { range, partsShift: tensor.dtype === 'C64' ? 1 : 0 };
}

/** Index of the first part in [start, end) that is not NaN/Inf (the shift of the sums), or -1. */
export function firstFinitePart(u32: Uint32Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (((u32[i] >>> F32_MANTISSA_BITS) & F32_EXPONENT_ALL_ONES) !== F32_EXPONENT_ALL_ONES) {
      return i;
    }
  }
  return -1;
}

/** The bits of an F32 without its sign, and of +Inf: a larger magnitude is a NaN. */
const F32_MAGNITUDE_MASK = 0x7fffffff;
const F32_INF_BITS = 0x7f800000;

/**
 * The rare path: NaN/Inf among parts [start, end) of `u32`, whose part 0 belongs to element
 * `firstElement` (2^partsShift parts per element), counted and recorded in order.
 */
export function locateFloat32Specials(
  u32: Uint32Array,
  start: number,
  end: number,
  firstElement: number,
  partsShift: number,
  exponents: ExponentCounts,
  bad: BadValueTracker,
): void {
  for (let i = start; i < end; i++) {
    const bits = u32[i];
    if (((bits >>> F32_MANTISSA_BITS) & F32_EXPONENT_ALL_ONES) !== F32_EXPONENT_ALL_ONES) {
      continue;
    }
    const element = firstElement + (i >>> partsShift);
    if ((bits & F32_MANTISSA_MASK) !== 0) {
      if (partsShift === 0) {
        // A run of NaN is recorded at once (an all-NaN tensor: one call per run, not per element).
        let j = i + 1;
        while (j < end && (u32[j] & F32_MAGNITUDE_MASK) > F32_INF_BITS) {
          j++;
        }
        exponents.nan += j - i;
        bad.addNanRun(element, j - i);
        i = j - 1;
        continue;
      }
      exponents.nan++;
      bad.addNan(element);
    } else {
      if (bits >>> 31 === 1) {
        exponents.negInf++;
      } else {
        exponents.posInf++;
      }
      bad.addInf(element);
    }
  }
}

/**
 * An F32/C64 tensor's stats from its sign+exponent counters (`top`, F32_TOP_BINS totals), the
 * NaN/Inf already counted in `exponents` and the running sums. Every kernel of these dtypes ends
 * here, so equal inputs give deep-equal stats.
 */
export function float32Stats(
  tensor: TensorInfo,
  top: Float64Array,
  exponents: ExponentCounts,
  sums: Float32Sums,
  bad: BadValueTracker | null,
  withHistogram = true,
  bins?: readonly number[],
): TensorStats {
  let subnormal = 0;
  let negativeSubnormal = 0;
  const count = bins === undefined ? 64 : bins.length;
  for (let k = 0; k < count; k++) {
    const at = bins === undefined ? F32_SUBNORMAL_BASE + k : bins[k];
    const bit = (at - F32_SUBNORMAL_BASE) & 31;
    if (at < F32_SUBNORMAL_BASE || bit >= F32_MANTISSA_BITS) {
      continue;
    }
    const sign = (at - F32_SUBNORMAL_BASE) >>> 5;
    const n = top[at];
    if (withHistogram) {
      exponents.add(F32_SUBNORMAL_SCALE_EXPONENT + bit, sign === 1, n);
    }
    subnormal += n;
    negativeSubnormal += sign * n;
  }
  // Field by field: spreading `sums` here was most of the cost of finishing a scalar (measured).
  const totals: FloatTotals = {
    zero: sums.zero,
    saturated: sums.saturated,
    finite: sums.finite,
    min: sums.min,
    max: sums.max,
    total: sums.total,
    sum: sums.sum,
    sumSquares: sums.sumSquares,
    subnormal,
    negativeSubnormal,
  };
  return finishFloat(tensor, top, F32_LAYOUT, exponents, totals, bad, withHistogram, bins);
}

/**
 * The top bin (see F32_TOP_BINS) the hot loop counts a part of these bits in, or -1 for a zero,
 * NaN or Inf (counted elsewhere).
 */
export function f32TopBin(bits: number): number {
  const signExponent = bits >>> F32_MANTISSA_BITS;
  const e = signExponent & F32_EXPONENT_ALL_ONES;
  if (e === F32_EXPONENT_ALL_ONES) {
    return -1;
  }
  if (e !== 0) {
    return signExponent;
  }
  const mantissa = bits & F32_MANTISSA_MASK;
  return mantissa === 0
    ? -1
    : F32_SUBNORMAL_BASE + ((bits >>> 26) & 32) + 31 - Math.clz32(mantissa);
}

/**
 * A tensor is "narrow" while the parts of its chunks number at most this: it notes the top bins
 * it counts into, and its finish reads and clears those instead of all 576 (a scalar scale
 * touches one; 200,000 of them spent more time reading and clearing empty bins than scanning).
 */
export const NARROW_F32_PARTS = 16;

const ascending = (a: number, b: number): number => a - b;

const F32_LAYOUT: TopBinLayout = {
  exponentAllOnes: F32_EXPONENT_ALL_ONES,
  bias: F32_EXPONENT_BIAS,
};

/** The top bins' totals at `finish`: read by `float32Stats` and never kept, so one serves all. */
const topScratch = new Float64Array(F32_TOP_BINS);

/** Blocks for `scanBlock` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * F32 and C64 (two F32 per element; every count covers both parts, while NaN/Inf indices name
 * the complex element). Accumulates strictly in element order, carrying its state across chunks,
 * so the result does not depend on chunk sizes. Hot loop: one counter per sign+exponent, min/max
 * and shifted sums; zeros, subnormals and NaN/Inf leave the fast path.
 */
export class Float32Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  /** log2 of float parts per element: 0 for F32, 1 for C64. */
  private readonly partsShift: number;
  private readonly cursor: ChunkCursor;
  private readonly aligner = new ChunkAligner();
  private readonly bad: BadValueTracker;
  /** Pooled (`CountTable.pooled`): given back at `finish` or `release`. */
  private readonly top = CountTable.pooled(F32_TOP_BINS);
  private readonly exponents: ExponentCounts;
  private zero = 0;
  private saturated = 0;
  private finite = 0;
  private min = Infinity;
  private max = -Infinity;
  /** The first finite value: sums are of v - shift, which keeps the variance accurate. */
  private shift = 0;
  private hasShift = false;
  private total = 0;
  private sum = 0;
  private sumSquares = 0;
  private result: TensorStats | null = null;
  /**
   * The top bins counted into, while every part so far came in chunks that, together, number at
   * most NARROW_F32_PARTS parts; null afterwards (finish then reads every bin).
   */
  private touched: number[] | null = [];
  private narrowParts = 0;

  /** `withHistogram` false: the stats come with `histogram: null` (KernelOptions.histogram). */
  constructor(
    tensor: TensorInfo,
    private readonly withHistogram = true,
  ) {
    assertLittleEndian();
    const { range, partsShift } = float32Layout(tensor);
    this.tensor = tensor;
    this.partsShift = partsShift;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    this.exponents = new ExponentCounts(range);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    const bytes = this.aligner.align(chunk, 4);
    const n = bytes.length >>> 2;
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    const f32 = new Float32Array(bytes.buffer, bytes.byteOffset, n);
    if (!this.hasShift) {
      this.pickShift(u32, f32);
    }
    this.top.reserve(n);
    for (let start = 0; start < n;) {
      const end = BLOCKS.end(start, n);
      this.scanBlock(u32, f32, start, end, firstElement);
      start = end;
    }
    if (this.touched !== null) {
      this.noteTouched(this.touched, u32);
    }
  }

  /** Adds the bins that the parts of `u32` counted into to `touched`, or gives up (null). */
  private noteTouched(touched: number[], u32: Uint32Array): void {
    this.narrowParts += u32.length;
    if (this.narrowParts > NARROW_F32_PARTS) {
      this.touched = null;
      return;
    }
    for (let i = 0; i < u32.length; i++) {
      const bin = f32TopBin(u32[i]);
      if (bin >= 0 && !touched.includes(bin)) {
        touched.push(bin);
      }
    }
  }

  /** The hot loop over parts [start, end) of one chunk. */
  private scanBlock(
    u32: Uint32Array,
    f32: Float32Array,
    start: number,
    end: number,
    firstElement: number,
  ): void {
    const top = this.top.bins;
    const shift = this.shift;
    let zero = this.zero;
    let saturated = this.saturated;
    let min = this.min;
    let max = this.max;
    let total = this.total;
    let sum = this.sum;
    let sumSquares = this.sumSquares;
    let special = 0;
    // No calls in this loop: rare cases are counted inline (NaN/Inf are located afterwards).
    for (let i = start; i < end; i++) {
      const bits = u32[i];
      const signExponent = bits >>> F32_MANTISSA_BITS;
      const e = signExponent & F32_EXPONENT_ALL_ONES;
      if (e === F32_EXPONENT_ALL_ONES) {
        special++;
        continue;
      }
      if (e !== 0) {
        top[signExponent]++;
        if ((bits & 0x7fffffff) === F32_LARGEST_FINITE_BITS) {
          saturated++;
        }
      } else if ((bits & F32_MANTISSA_MASK) === 0) {
        zero++;
      } else {
        const mantissaTop = 31 - Math.clz32(bits & F32_MANTISSA_MASK);
        top[F32_SUBNORMAL_BASE + ((bits >>> 26) & 32) + mantissaTop]++;
      }
      const v = f32[i];
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
      total += v;
      const d = v - shift;
      sum += d;
      sumSquares += d * d;
    }
    this.finite += end - start - special;
    this.zero = zero;
    this.saturated = saturated;
    this.min = min;
    this.max = max;
    this.total = total;
    this.sum = sum;
    this.sumSquares = sumSquares;
    if (special > 0) {
      locateFloat32Specials(
        u32,
        start,
        end,
        firstElement,
        this.partsShift,
        this.exponents,
        this.bad,
      );
    }
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const sums: Float32Sums = {
        zero: this.zero,
        saturated: this.saturated,
        finite: this.finite,
        min: this.min,
        max: this.max,
        total: this.total,
        sum: this.sum,
        sumSquares: this.sumSquares,
      };
      const touched = this.touched?.sort(ascending);
      const top = topScratch;
      if (touched === undefined) {
        this.top.foldInto(top);
        this.top.release();
      } else {
        // Only these bins are read (float32Stats' `bins`), and only these were counted into.
        const bins = this.top.bins;
        for (const at of touched) {
          top[at] = bins[at];
          bins[at] = 0;
        }
        this.top.release(0);
      }
      this.result = float32Stats(
        this.tensor,
        top,
        this.exponents,
        sums,
        this.bad,
        this.withHistogram,
        touched,
      );
    }
    return this.result;
  }

  release(): void {
    this.top.release();
  }

  private pickShift(u32: Uint32Array, f32: Float32Array): void {
    const i = firstFinitePart(u32, 0, u32.length);
    if (i >= 0) {
      this.shift = f32[i];
      this.hasShift = true;
    }
  }
}
