import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import type { IntegerTotals } from './int32-kernel';
import { finishInteger } from './int32-kernel';
import type { ScanKernel } from './scan-kernel';
import { assertLittleEndian, BlockSplitter, ChunkAligner, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';

/** Bits of a 64-bit integer: exponent bins 0..63. */
const INT64_BITS = 64;
const TWO_POW_32 = 2 ** 32;

/** Blocks for `scanBlock` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * I64 and U64 over (low, high) 32-bit words. Values enter the moments as the nearest double
 * (hi * 2^32 + lo rounds once); zero, saturation and exponents are decided exactly on the words.
 */
export class Int64Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly signed: boolean;
  private readonly cursor: ChunkCursor;
  private readonly aligner = new ChunkAligner();
  private readonly bad: BadValueTracker;
  /** Counts by floor(log2|v|): [0, 64) positive, [64, 128) negative. */
  private readonly bins = new Float64Array(2 * INT64_BITS);
  private zero = 0;
  private saturated = 0;
  private min = Infinity;
  private max = -Infinity;
  private shift = 0;
  private total = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    if (tensor.dtype !== 'I64' && tensor.dtype !== 'U64') {
      throw new Error(`${tensor.dtype} is not I64 or U64`);
    }
    this.tensor = tensor;
    this.signed = tensor.dtype === 'I64';
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const n = this.cursor.advance(chunk, firstElement);
    const bytes = this.aligner.align(chunk, 8);
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, 2 * n);
    for (let start = 0; start < n;) {
      const end = BLOCKS.end(start, n);
      this.scanBlock(u32, start, end, firstElement);
      start = end;
    }
  }

  /** The hot loop over elements [start, end) of one chunk. */
  private scanBlock(u32: Uint32Array, start: number, end: number, firstElement: number): void {
    const signed = this.signed;
    const bins = this.bins;
    let zero = this.zero;
    let saturated = this.saturated;
    let min = this.min;
    let max = this.max;
    let shift = this.shift;
    let total = this.total;
    let sum = this.sum;
    let sumSquares = this.sumSquares;
    for (let i = start; i < end; i++) {
      const lo = u32[2 * i];
      const hi = u32[2 * i + 1];
      const negative = signed && hi >>> 31 === 1;
      // Signed high word for I64: the double value is then exact up to one final rounding.
      const v = (negative ? hi - TWO_POW_32 : hi) * TWO_POW_32 + lo;
      if (firstElement + i === 0) {
        shift = v;
      }
      if (hi === 0 && lo === 0) {
        zero++;
      } else if (negative) {
        // |v| by two's-complement negation of the 64-bit word pair.
        const mlo = (~lo + 1) >>> 0;
        const mhi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
        bins[INT64_BITS + (mhi !== 0 ? 63 - Math.clz32(mhi) : 31 - Math.clz32(mlo))]++;
      } else {
        bins[hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo)]++;
      }
      if (isInt64Extreme(signed, hi, lo)) {
        saturated++;
      }
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
    this.zero = zero;
    this.saturated = saturated;
    this.min = min;
    this.max = max;
    this.shift = shift;
    this.total = total;
    this.sum = sum;
    this.sumSquares = sumSquares;
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    const totals: IntegerTotals = {
      zero: this.zero,
      saturated: this.saturated,
      min: this.min,
      max: this.max,
      total: this.total,
      sum: this.sum,
      sumSquares: this.sumSquares,
    };
    return finishInteger(this.tensor, this.bins, INT64_BITS, totals, this.bad);
  }
}

/** The type's minimum or maximum, decided on the words (doubles cannot tell 2^63 - 1 from 2^63). */
function isInt64Extreme(signed: boolean, hi: number, lo: number): boolean {
  if (signed) {
    return (hi === 0x7fffffff && lo === 0xffffffff) || (hi === 0x80000000 && lo === 0);
  }
  // Unsigned: only the maximum saturates; 0 is an ordinary value (see value-rules.ts).
  return hi === 0xffffffff && lo === 0xffffffff;
}
