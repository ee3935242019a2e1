import { codeTable } from '../dtype/code-table';
import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { exactIntegerMoments, isMomentsDtype } from './byte-moments';
import { BYTE_SUBTABLES, countBytes } from './byte-histogram';
import type { CodeCounts } from './code-summary';
import { sparseCounts, summarizeCodes } from './code-summary';
import { CountTable } from './count-table';
import { plainArray } from './plain-array';
import { sharedByteHistogram } from './shared-byte-histograms';
import { f4CodeSums, f4MeanStd } from './f4-moments';
import type { ScanKernel } from './scan-kernel';
import { ChunkCursor } from './scan-kernel';
import type { Histogram, TensorStats } from './tensor-stats';
import { valueRules } from './value-rules';
import { assembleStats } from './value-summary';

/** `badKind` values; 0 (the fill) means an ordinary code. */
export const BAD_NAN = 1;
export const BAD_INF = 2;

/** The value of each code of an 8-bit dtype (256) or F4 (16); throws for other dtypes. */
export function byteCodeValues(tensor: TensorInfo): Float64Array {
  const values = codeTable(tensor.dtype);
  if (values === null || (values.length !== 256 && values.length !== 16)) {
    throw new Error(`${tensor.dtype} is not an 8-bit or 4-bit dtype`);
  }
  return values;
}

/**
 * The NaN/Inf bytes of an 8-bit dtype: `kind[byte]` is 0, BAD_NAN or BAD_INF, and `codes` lists
 * the bytes that are not 0. F4 (16 values, two per byte) has none.
 */
export function badByteKinds(values: Float64Array): {
  readonly kind: Uint8Array;
  readonly codes: readonly number[];
} {
  const known = badKindsOf.get(values);
  if (known !== undefined) {
    return known;
  }
  const kind = new Uint8Array(256);
  const codes: number[] = [];
  if (values.length === 256) {
    for (let c = 0; c < 256; c++) {
      const v = values[c];
      if (!Number.isFinite(v)) {
        kind[c] = Number.isNaN(v) ? BAD_NAN : BAD_INF;
        codes.push(c);
      }
    }
  }
  const kinds = { kind, codes };
  badKindsOf.set(values, kinds);
  return kinds;
}

/** `badByteKinds` per code table (one per dtype): every kernel of a dtype shares them, read-only. */
const badKindsOf = new WeakMap<Float64Array, { kind: Uint8Array; codes: number[] }>();

/**
 * Stats of an 8-bit or F4 tensor from the exact count of each byte value (every kernel of these
 * dtypes ends here, so equal counts give deep-equal stats) and its located NaN/Inf. `bytes`: the
 * byte values that occur, ascending (a tiny tensor's); without it every count is read.
 */
export function byteCodeStats(
  tensor: TensorInfo,
  values: Float64Array,
  byteCounts: Float64Array,
  bad: BadValueTracker | null,
  withHistogram = true,
  bytes?: readonly number[],
): TensorStats {
  const nibbles = values.length === 16;
  const counts = nibbles ? nibbleCounts(byteCounts, bytes) : byteCounts;
  const rules = valueRules(tensor.dtype);
  const occurring = bytes === undefined || nibbles ? sparseCounts(counts) : countsOf(bytes, counts);
  const summary = summarizeCodes(occurring, values, rules);
  if (isMomentsDtype(tensor.dtype)) {
    // Integers: the exact moments the histogram-free kernel gives too (same digits either way).
    let sum = 0n;
    let squares = 0n;
    // Only the byte values that occur, when known (exact sums: the order does not matter).
    const n = bytes === undefined ? counts.length : bytes.length;
    for (let k = 0; k < n; k++) {
      const c = bytes === undefined ? k : bytes[k];
      if (counts[c] !== 0) {
        const n = BigInt(counts[c]);
        const v = BigInt(values[c]);
        sum += n * v;
        squares += n * v * v;
      }
    }
    const { mean, std } = exactIntegerMoments(tensor.elements, sum, squares);
    summary.mean = mean;
    summary.std = std;
  } else if (nibbles) {
    // F4: twice every E2M1 value is an integer; the exact moments moments4 gives too.
    const { sum2, squares4 } = f4CodeSums(counts);
    const { mean, std } = f4MeanStd(tensor.elements, sum2, squares4);
    summary.mean = mean;
    summary.std = std;
  }
  let histogram: Histogram | null = null;
  if (withHistogram) {
    // A tiny tensor's byte histogram is zeros but at its few byte values (`bytes`): shared.
    histogram =
      nibbles || bytes === undefined
        ? { kind: 'codes', bits: nibbles ? 4 : 8, counts: plainArray(counts) }
        : sharedByteHistogram(counts, bytes);
  }
  return assembleStats(tensor, rules.floatLike, summary, histogram, bad);
}

/** Records the NaN/Inf bytes of `chunk` (first byte = element `firstElement`) by `kind`. */
export function locateBadBytes(
  chunk: Uint8Array,
  firstElement: number,
  kind: Uint8Array,
  bad: BadValueTracker,
): void {
  for (let i = 0; i < chunk.length; i++) {
    const k = kind[chunk[i]];
    if (k === BAD_NAN) {
      // A run of NaN is recorded at once (an all-NaN tensor: one call per run, not per element).
      let j = i + 1;
      while (j < chunk.length && kind[chunk[j]] === BAD_NAN) {
        j++;
      }
      bad.addNanRun(firstElement + i, j - i);
      i = j - 1;
    } else if (k === BAD_INF) {
      bad.addInf(firstElement + i);
    }
  }
}

/**
 * Chunks shorter than this are counted byte by byte into the first sub-table only: the four
 * interleaved sub-tables pay off over long runs, while for a tiny tensor (a 2-byte block scale)
 * folding and clearing 1,024 bins cost more than counting its bytes.
 */
export const NARROW_CHUNK_BYTES = 64;

/** The folded byte totals of `finish`: read by `byteCodeStats` and never kept, so one serves all. */
const foldedScratch = new Float64Array(256);

/**
 * A tensor of at most this many bytes, in narrow chunks, notes the byte values it holds, and its
 * finish reads and clears only those (a 2-byte block scale: two bins, not 256).
 */
export const TOUCHED_BYTES_LIMIT = 16;

const ascending = (a: number, b: number): number => a - b;

/**
 * 8-bit dtypes (FP8, U8, I8, BOOL) and F4: a byte histogram is the whole scan. All stats come from
 * the exact code histogram at `finish`, so they do not depend on chunking. NaN/Inf positions are
 * only searched for in chunks whose NaN/Inf code counts grew. The count table is pooled
 * (`CountTable.pooled`), given back at `finish` or `release`.
 */
export class ByteCodeKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly values: Float64Array;
  private readonly cursor: ChunkCursor;
  private readonly table = CountTable.pooled(BYTE_SUBTABLES * 256);
  /** Bins counted into so far: 256 while every chunk was narrow (NARROW_CHUNK_BYTES), else all. */
  private used = 256;
  private readonly bad: BadValueTracker;
  /** 0 / BAD_NAN / BAD_INF for each byte (8-bit dtypes only; F4 has no specials). */
  private readonly badKind: Uint8Array;
  private readonly badCodes: readonly number[];
  private badSeen = 0;
  private result: TensorStats | null = null;
  /**
   * The byte values counted so far, while the tensor's bytes (all in narrow chunks) number at most
   * TOUCHED_BYTES_LIMIT; null afterwards (finish then folds every bin).
   */
  private touched: number[] | null = [];
  private touchedBytes = 0;

  /** `withHistogram` false: the stats come with `histogram: null` (KernelOptions.histogram). */
  constructor(
    tensor: TensorInfo,
    private readonly withHistogram = true,
  ) {
    this.tensor = tensor;
    this.values = byteCodeValues(tensor);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    const { kind, codes } = badByteKinds(this.values);
    this.badKind = kind;
    this.badCodes = codes;
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    const table = this.table;
    table.reserve(chunk.length);
    this.touchedBytes += chunk.length;
    if (this.touchedBytes > TOUCHED_BYTES_LIMIT) {
      this.touched = null;
    }
    const touched = this.touched;
    if (chunk.length < NARROW_CHUNK_BYTES) {
      const bins = table.bins;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (bins[b]++ === 0 && touched !== null) {
          touched.push(b);
        }
      }
    } else {
      this.used = table.bins.length;
      countBytes(chunk, table.bins);
    }
    if (this.badCodes.length === 0) {
      return;
    }
    let seen = 0;
    for (const c of this.badCodes) {
      for (let at = c; at < this.used; at += 256) {
        seen += table.get(at);
      }
    }
    if (seen !== this.badSeen) {
      this.badSeen = seen;
      locateBadBytes(chunk, firstElement, this.badKind, this.bad);
    }
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const touched = this.touched?.sort(ascending);
      const counts = foldedScratch;
      if (touched === undefined) {
        this.table.foldInto(counts, this.used);
        this.table.release(this.used);
      } else {
        // Every other bin of the table is 0: zero the scratch, then take the touched counts.
        const bins = this.table.bins;
        counts.fill(0);
        for (const b of touched) {
          counts[b] = bins[b];
          bins[b] = 0;
        }
        this.table.release(0);
      }
      const { tensor, values, bad, withHistogram } = this;
      this.result = byteCodeStats(tensor, values, counts, bad, withHistogram, touched);
    }
    return this.result;
  }

  release(): void {
    this.table.release();
  }
}

/** The counts of the byte values `bytes` (each of which occurs), as `sparseCounts` gives them. */
function countsOf(bytes: readonly number[], counts: Float64Array): CodeCounts {
  const out: number[] = [];
  for (const b of bytes) {
    out.push(counts[b]);
  }
  return { codes: bytes, counts: out };
}

/** `nibbleCounts`' output: read by `byteCodeStats` and never kept, so one serves all. */
const nibbleScratch = new Float64Array(16);

/** F4: each byte holds two E2M1 codes (low and high nibble); both count. `only`: see byteCodeStats. */
function nibbleCounts(counts: Float64Array, only?: readonly number[]): Float64Array {
  const out = nibbleScratch.fill(0);
  const n = only === undefined ? 256 : only.length;
  for (let k = 0; k < n; k++) {
    const b = only === undefined ? k : only[k];
    const count = counts[b];
    if (count !== 0) {
      out[b & 0xf] += count;
      out[b >>> 4] += count;
    }
  }
  return out;
}
