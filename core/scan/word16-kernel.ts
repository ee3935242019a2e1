import type { Dtype } from '../dtype/dtype';
import { decodeBF16, decodeF16 } from '../dtype/half';
import { exponentOf } from '../dtype/pow2';
import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import type { CodeCounts } from './code-summary';
import { summarizeCodes } from './code-summary';
import { CountTable } from './count-table';
import { ExponentCounts, exponentRange } from './exponent-histogram';
import type { ScanKernel } from './scan-kernel';
import { assertLittleEndian, BlockSplitter, ChunkAligner, ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { valueRules } from './value-rules';
import { assembleStats } from './value-summary';

/** Codes of a 16-bit dtype. */
export const CODES_16 = 0x10000;
/**
 * Tensors with at least this many elements count even and odd elements into two interleaved
 * tables (breaks store-to-load dependencies, ~1.4x faster); smaller ones use one table, since
 * allocating and folding 2 x 65536 bins would cost more than the count itself.
 */
const TWO_TABLES_MIN_ELEMENTS = 1 << 18;
/** |code| (sign bit cleared) at or above which an F16 code is Inf (equal) or NaN (above). */
const F16_INF_MAGNITUDE = 0x7c00;
/** Same for BF16: exponent all ones. */
const BF16_INF_MAGNITUDE = 0x7f80;

/** Blocks for `countCodePairs` (see BlockSplitter). */
const BLOCKS = new BlockSplitter();

/**
 * The hot loop: words [start, end) each hold two codes (even element low); the odd one goes to
 * the table at `second` (65536 for two tables, 0 for one).
 */
function countCodePairs(
  u32: Uint32Array,
  bins: Uint32Array,
  second: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const w = u32[i];
    bins[w & 0xffff]++;
    bins[second + (w >>> 16)]++;
  }
}

/** The value of each code of a 16-bit dtype. */
export function valueDecoder(dtype: Dtype): (code: number) => number {
  switch (dtype) {
    case 'F16':
      return decodeF16;
    case 'BF16':
      return decodeBF16;
    case 'I16':
      return (c) => (c << 16) >> 16;
    case 'U16':
      return (c) => c;
    default:
      throw new Error(`${dtype} is not a 16-bit dtype`);
  }
}

/**
 * The |code| (sign bit cleared) at or above which a code of `dtype` is Inf (equal) or NaN
 * (above); null for the integer dtypes, which have neither.
 */
export function specialMagnitude(dtype: Dtype): number | null {
  return dtype === 'F16' ? F16_INF_MAGNITUDE : dtype === 'BF16' ? BF16_INF_MAGNITUDE : null;
}

/**
 * Records the NaN (|code| > `infMagnitude`) and Inf (equal) among the little-endian codes of
 * `bytes`, the first of which is element `firstElement`.
 */
export function locateWord16Specials(
  bytes: Uint8Array,
  firstElement: number,
  infMagnitude: number,
  bad: BadValueTracker,
): void {
  const n = bytes.length >>> 1;
  const magnitudeAt = (i: number): number => (bytes[2 * i] | (bytes[2 * i + 1] << 8)) & 0x7fff;
  for (let i = 0; i < n; i++) {
    const magnitude = magnitudeAt(i);
    if (magnitude > infMagnitude) {
      // A run of NaN is recorded at once (an all-NaN tensor: one call per run, not per element).
      let j = i + 1;
      while (j < n && magnitudeAt(j) > infMagnitude) {
        j++;
      }
      bad.addNanRun(firstElement + i, j - i);
      i = j - 1;
    } else if (magnitude === infMagnitude) {
      bad.addInf(firstElement + i);
    }
  }
}

/**
 * A 16-bit tensor's stats from the exact count of its codes (every kernel of F16, BF16, I16 and
 * U16 ends here, so equal counts give deep-equal stats) and its located NaN/Inf.
 */
export function word16Stats(
  tensor: TensorInfo,
  valueOf: (code: number) => number,
  counts: CodeCounts,
  bad: BadValueTracker,
): TensorStats {
  const range = exponentRange(tensor.dtype);
  if (range === null) {
    throw new Error(`${tensor.dtype} has no exponent histogram`);
  }
  const exponents = new ExponentCounts(range);
  const rules = valueRules(tensor.dtype);
  const summary = summarizeCodes(counts, valueOf, rules, (v, n) => {
    exponents.add(exponentOf(v), v < 0, n);
  });
  exponents.zero = summary.zero;
  exponents.nan = summary.nan;
  exponents.posInf = summary.posInf;
  exponents.negInf = summary.negInf;
  return assembleStats(tensor, rules.floatLike, summary, exponents.toHistogram(), bad);
}

/**
 * F16, BF16, I16, U16: an exact count of all 65536 codes, from which every stat and the exponent
 * histogram are derived at `finish` (exact and independent of chunking). NaN/Inf positions are
 * searched for only in chunks whose NaN/Inf code counts grew (or directly, in small chunks).
 */
export class Word16Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly valueOf: (code: number) => number;
  private readonly cursor: ChunkCursor;
  private readonly aligner = new ChunkAligner();
  private readonly table: CountTable;
  /** Offset of the odd-element table: CODES_16, or 0 when there is one table. */
  private readonly second: number;
  private readonly bad: BadValueTracker;
  /** Codes at or above this magnitude are NaN/Inf; Infinity for integer dtypes. */
  private readonly infMagnitude: number;
  private badSeen = 0;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    this.tensor = tensor;
    this.valueOf = valueDecoder(tensor.dtype);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    const twoTables = tensor.elements >= TWO_TABLES_MIN_ELEMENTS;
    this.second = twoTables ? CODES_16 : 0;
    this.table = new CountTable(twoTables ? 2 * CODES_16 : CODES_16);
    this.infMagnitude = specialMagnitude(tensor.dtype) ?? Infinity;
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const elements = this.cursor.advance(chunk, firstElement);
    const bytes = this.aligner.align(chunk, 4);
    this.table.reserve(elements);
    const bins = this.table.bins;
    const words = bytes.length >>> 2;
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let start = 0; start < words;) {
      const end = BLOCKS.end(start, words);
      countCodePairs(u32, bins, this.second, start, end);
      start = end;
    }
    if ((elements & 1) === 1) {
      const at = bytes.length - 2;
      bins[bytes[at] | (bytes[at + 1] << 8)]++;
    }
    if (this.infMagnitude === Infinity) {
      return;
    }
    // Summing the NaN/Inf bins costs 2 x (0x8000 - inf) reads: for smaller chunks, just look.
    if (elements <= 2 * (0x8000 - this.infMagnitude) || this.specialsGrew()) {
      locateWord16Specials(bytes, firstElement, this.infMagnitude, this.bad);
    }
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    return word16Stats(this.tensor, this.valueOf, this.table.nonZero(CODES_16), this.bad);
  }

  /** Whether the NaN/Inf code totals changed since the last look. */
  private specialsGrew(): boolean {
    const inf = this.infMagnitude;
    const tables = this.second === 0 ? 1 : 2;
    let seen = 0;
    for (let t = 0; t < tables; t++) {
      for (const sign of [0, 0x8000]) {
        for (let m = inf; m <= 0x7fff; m++) {
          seen += this.table.get(t * CODES_16 + (sign | m));
        }
      }
    }
    if (seen === this.badSeen) {
      return false;
    }
    this.badSeen = seen;
    return true;
  }
}
