import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { CountTable } from './count-table';
import { ExponentCounts, exponentRange } from './exponent-histogram';
import type { ScanKernel } from './scan-kernel';
import { assertLittleEndian, BlockSplitter, ChunkAligner, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { valueRules } from './value-rules';
import { assembleStats, emptySummary, momentsFromSums } from './value-summary';

/** Bits of a 32-bit integer: exponent bins 0..31. */
const INT32_BITS = 32;
/**
 * Hot-loop bin layout, indexed by `(sign & INT32_NEGATIVE_BASE) + 32 - clz32(|v|)`: 0 = zero,
 * 1..32 = positive exponents 0..31, 33 unused, 34..65 = negative exponents 0..31. Branch-free,
 * which matters: packed quantized weights (GPTQ/AWQ qweight) are random-looking I32.
 */
const INT32_NEGATIVE_BASE = 33;
const INT32_HOT_BINS = 2 * INT32_NEGATIVE_BASE;

/** Blocks for `scanBlock` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * I32 and U32: one pass in element order (state carried across chunks, so chunk sizes do not
 * matter). Saturated = the type's minimum or maximum; the exponent is that of |v|.
 */
export class Int32Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly unsigned: boolean;
  /** -1 for I32 (the sign bit means negative), 0 for U32. */
  private readonly signMask: number;
  private readonly lowest: number;
  private readonly highest: number;
  private readonly cursor: ChunkCursor;
  private readonly aligner = new ChunkAligner();
  private readonly bad: BadValueTracker;
  private readonly bins = new CountTable(INT32_HOT_BINS);
  private saturated = 0;
  private min = Infinity;
  private max = -Infinity;
  private shift = 0;
  private total = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    const rules = valueRules(tensor.dtype);
    if (rules.saturation.kind !== 'range' || (tensor.dtype !== 'I32' && tensor.dtype !== 'U32')) {
      throw new Error(`${tensor.dtype} is not I32 or U32`);
    }
    this.tensor = tensor;
    this.unsigned = tensor.dtype === 'U32';
    this.signMask = this.unsigned ? 0 : -1;
    this.lowest = rules.saturation.min;
    this.highest = rules.saturation.max;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const n = this.cursor.advance(chunk, firstElement);
    const bytes = this.aligner.align(chunk, 4);
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, n);
    if (firstElement === 0 && n > 0) {
      this.shift = this.unsigned ? words[0] >>> 0 : words[0];
    }
    this.bins.reserve(n);
    for (let start = 0; start < n;) {
      const end = BLOCKS.end(start, n);
      this.scanBlock(words, start, end);
      start = end;
    }
  }

  /** The hot loop over elements [start, end) of one chunk. */
  private scanBlock(words: Int32Array, start: number, end: number): void {
    const bins = this.bins.bins;
    const unsigned = this.unsigned;
    const signMask = this.signMask;
    const lowest = this.lowest;
    const highest = this.highest;
    const shift = this.shift;
    let saturated = this.saturated;
    let min = this.min;
    let max = this.max;
    let total = this.total;
    let sum = this.sum;
    let sumSquares = this.sumSquares;
    for (let i = start; i < end; i++) {
      const w = words[i];
      const sign = (w >> 31) & signMask;
      // |v| as bits: -2^31 stays 0x80000000, which clz32 reads unsigned (exponent 31).
      bins[(sign & INT32_NEGATIVE_BASE) + INT32_BITS - Math.clz32((w ^ sign) - sign)]++;
      const v = unsigned ? w >>> 0 : w;
      if (v === lowest || v === highest) {
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
    this.saturated = saturated;
    this.min = min;
    this.max = max;
    this.total = total;
    this.sum = sum;
    this.sumSquares = sumSquares;
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    const hot = this.bins.totals();
    const bins = new Float64Array(2 * INT32_BITS);
    for (let e = 0; e < INT32_BITS; e++) {
      bins[e] = hot[1 + e];
      bins[INT32_BITS + e] = hot[INT32_NEGATIVE_BASE + 1 + e];
    }
    const totals: IntegerTotals = {
      zero: hot[0],
      saturated: this.saturated,
      min: this.min,
      max: this.max,
      total: this.total,
      sum: this.sum,
      sumSquares: this.sumSquares,
    };
    return finishInteger(this.tensor, bins, INT32_BITS, totals, this.bad);
  }
}

/** The running state every integer kernel ends with. */
export interface IntegerTotals {
  readonly zero: number;
  readonly saturated: number;
  readonly min: number;
  readonly max: number;
  readonly total: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** Stats of an integer tensor from exponent bins ([0, bits) positive, [bits, 2 bits) negative). */
export function finishInteger(
  tensor: TensorInfo,
  bins: Float64Array,
  bits: number,
  totals: IntegerTotals,
  bad: BadValueTracker,
): TensorStats {
  const range = exponentRange(tensor.dtype);
  if (range === null || range.bins !== bits) {
    throw new Error(`${tensor.dtype} is not a ${bits}-bit integer dtype`);
  }
  const x = new ExponentCounts(range);
  const summary = emptySummary();
  for (let e = 0; e < bits; e++) {
    x.add(e, false, bins[e]);
    x.add(e, true, bins[bits + e]);
    summary.negative += bins[bits + e];
  }
  x.zero = totals.zero;
  summary.zero = totals.zero;
  summary.saturated = totals.saturated;
  if (tensor.elements > 0) {
    summary.min = totals.min;
    summary.max = totals.max;
    const m = momentsFromSums(tensor.elements, totals.total, totals.sum, totals.sumSquares);
    summary.mean = m.mean;
    summary.std = m.std;
  }
  return assembleStats(tensor, false, summary, x.toHistogram(), bad);
}
