import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { CountTable } from './count-table';
import { ExponentCounts, exponentRange } from './exponent-histogram';
import type { FloatTotals } from './float-finish';
import { finishFloat } from './float-finish';
import type { ScanKernel } from './scan-kernel';
import { assertLittleEndian, BlockSplitter, ChunkAligner, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';

/** binary64 high word: 1 sign, 11 exponent (bias 1023), top 20 of the 52 mantissa bits. */
const F64_EXPONENT_BIAS = 1023;
const F64_HIGH_MANTISSA_BITS = 20;
const F64_HIGH_MANTISSA_MASK = 0xfffff;
const F64_EXPONENT_ALL_ONES = 0x7ff;
/** High word of the largest finite double (low word all ones): the only saturated magnitude. */
const F64_LARGEST_FINITE_HIGH = 0x7fefffff;
/** A subnormal's value is mantissa * 2^-1074. */
const F64_SUBNORMAL_SCALE_EXPONENT = -1074;
/** Sign + exponent: the top 12 bits, one counter each. */
const F64_TOP_BINS = 4096;

/** Blocks for `scanBlock` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * F64, the same design as the F32 kernel over (low, high) 32-bit word pairs: strict element order,
 * state carried across chunks, so results do not depend on chunk sizes.
 */
export class Float64Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly cursor: ChunkCursor;
  private readonly aligner = new ChunkAligner();
  private readonly bad: BadValueTracker;
  private readonly top = new CountTable(F64_TOP_BINS);
  private readonly exponents: ExponentCounts;
  private zero = 0;
  private subnormal = 0;
  private negativeSubnormal = 0;
  private saturated = 0;
  private finite = 0;
  private min = Infinity;
  private max = -Infinity;
  private total = 0;
  /**
   * Welford's running mean and sum of squared deviations, not shifted sums of squares: binary64
   * values reach 1.8e308, so (v - shift)^2 overflows to Infinity where the true variance is finite
   * ([9.5e153, 0, 0] has std 4.5e153). Welford's m2 never exceeds the final sum of squared
   * deviations, so it is finite whenever the standard deviation is.
   */
  private count = 0;
  private runningMean = 0;
  private m2 = 0;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    const range = exponentRange(tensor.dtype);
    if (range === null || tensor.dtype !== 'F64') {
      throw new Error(`${tensor.dtype} is not F64`);
    }
    this.tensor = tensor;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    this.exponents = new ExponentCounts(range);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    const bytes = this.aligner.align(chunk, 8);
    const n = bytes.length >>> 3;
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, 2 * n);
    const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, n);
    this.top.reserve(n);
    for (let start = 0; start < n;) {
      const end = BLOCKS.end(start, n);
      this.scanBlock(u32, f64, start, end, firstElement);
      start = end;
    }
  }

  /** The hot loop over elements [start, end) of one chunk. */
  private scanBlock(
    u32: Uint32Array,
    f64: Float64Array,
    start: number,
    end: number,
    firstElement: number,
  ): void {
    const top = this.top.bins;
    let zero = this.zero;
    let saturated = this.saturated;
    let min = this.min;
    let max = this.max;
    let total = this.total;
    let count = this.count;
    let runningMean = this.runningMean;
    let m2 = this.m2;
    let special = 0;
    for (let i = start; i < end; i++) {
      const lo = u32[2 * i];
      const hi = u32[2 * i + 1];
      const signExponent = hi >>> F64_HIGH_MANTISSA_BITS;
      const e = signExponent & F64_EXPONENT_ALL_ONES;
      if (e === F64_EXPONENT_ALL_ONES) {
        special++;
        this.addSpecial(hi, lo, firstElement + i);
        continue;
      }
      if (e !== 0) {
        top[signExponent]++;
        if ((hi & 0x7fffffff) === F64_LARGEST_FINITE_HIGH && lo === 0xffffffff) {
          saturated++;
        }
      } else if ((hi & F64_HIGH_MANTISSA_MASK) === 0 && lo === 0) {
        zero++;
      } else {
        this.addSubnormal(hi, lo);
      }
      const v = f64[i];
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
      total += v;
      count++;
      const delta = v - runningMean;
      runningMean += delta / count;
      m2 += delta * (v - runningMean);
    }
    this.finite += end - start - special;
    this.zero = zero;
    this.saturated = saturated;
    this.min = min;
    this.max = max;
    this.total = total;
    this.count = count;
    this.runningMean = runningMean;
    this.m2 = m2;
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    const totals: FloatTotals = {
      zero: this.zero,
      subnormal: this.subnormal,
      negativeSubnormal: this.negativeSubnormal,
      saturated: this.saturated,
      finite: this.finite,
      min: this.min,
      max: this.max,
      total: this.total,
      // Deviations from the mean: momentsFromSums then gives variance = m2 / n.
      sum: 0,
      sumSquares: this.m2,
    };
    const layout = { exponentAllOnes: F64_EXPONENT_ALL_ONES, bias: F64_EXPONENT_BIAS };
    return finishFloat(this.tensor, this.top.totals(), layout, this.exponents, totals, this.bad);
  }

  private addSubnormal(hi: number, lo: number): void {
    const negative = hi >>> 31 === 1;
    this.subnormal++;
    if (negative) {
      this.negativeSubnormal++;
    }
    const mantissaHigh = hi & F64_HIGH_MANTISSA_MASK;
    const top = mantissaHigh !== 0 ? 63 - Math.clz32(mantissaHigh) : 31 - Math.clz32(lo);
    this.exponents.add(F64_SUBNORMAL_SCALE_EXPONENT + top, negative, 1);
  }

  private addSpecial(hi: number, lo: number, element: number): void {
    const x = this.exponents;
    if ((hi & F64_HIGH_MANTISSA_MASK) !== 0 || lo !== 0) {
      x.nan++;
      this.bad.addNan(element);
    } else {
      if (hi >>> 31 === 1) {
        x.negInf++;
      } else {
        x.posInf++;
      }
      this.bad.addInf(element);
    }
  }
}
