import type { TensorInfo } from '../../format/tensor-info';
import { BadValueTracker } from '../bad-values';
import {
  BAD_NAN,
  badByteKinds,
  byteCodeStats,
  byteCodeValues,
  locateBadBytes,
} from '../byte-code-kernel';
import { IncrementBudget, MAX_PENDING_INCREMENTS } from '../count-table';
import type { ScanKernel } from '../scan-kernel';
import { assertLittleEndian, ChunkCursor } from '../scan-kernel';
import type { TensorStats } from '../tensor-stats';
import type { ScanInstance } from './scan-instance';
import { HeldInstance } from './scan-instance';

/** Byte values. */
const BYTES = 256;
/** Bins of one pair table (every low byte | high byte << 8). */
const PAIRS = BYTES * BYTES;
/** Bytes per bin, and per row of 256 bins, in WASM memory. */
const BIN_BYTES = 4;
const ROW_BYTES = BYTES * BIN_BYTES;
/** Masks tried for `badByteRange`: the sign bit ignored, or the whole byte. */
const RANGE_MASKS = [0x7f, 0xff];

/** A byte b is NaN/Inf exactly when lo <= (b & mask) <= hi. */
export interface ByteRange {
  readonly mask: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * The NaN/Inf bytes of a dtype (`kind[b] !== 0`) as one masked range, for `find8`, or null when
 * they are not one (then the JS search is used). Every FP8 dtype's set is one: E4M3 0x7f under
 * mask 0x7f, E5M2 0x7c..0x7f under 0x7f, the FNUZ ones 0x80, E8M0 0xff.
 */
export function badByteRange(kind: Uint8Array): ByteRange | null {
  for (const mask of RANGE_MASKS) {
    let lo = BYTES;
    let hi = -1;
    for (let b = 0; b < BYTES; b++) {
      if (kind[b] !== 0) {
        lo = Math.min(lo, b & mask);
        hi = Math.max(hi, b & mask);
      }
    }
    let exact = hi >= lo;
    for (let b = 0; b < BYTES && exact; b++) {
      const inRange = (b & mask) >= lo && (b & mask) <= hi;
      exact = inRange === (kind[b] !== 0);
    }
    if (exact) {
      return { mask, lo, hi };
    }
  }
  return null;
}

/**
 * 8-bit dtypes and F4 in WebAssembly: bytes are counted two at a time, as 16-bit pairs (`count16`:
 * one increment per two bytes, twice the speed of a byte histogram), and each byte's count is
 * folded out of the pair tables at finish (`foldPairs`, SIMD), then the same `byteCodeStats` as
 * ByteCodeKernel gives deep-equal stats. After each stage block the pair bins holding a NaN/Inf
 * byte are summed; only when they grew is the block searched (`find8`, SIMD) for positions.
 */
export class WasmByteKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly values: Float64Array;
  private readonly cursor: ChunkCursor;
  private readonly bad: BadValueTracker;
  private readonly badKind: Uint8Array;
  private readonly badCodes: readonly number[];
  private readonly badRange: ByteRange | null;
  /** Exact byte counts drained out of WASM, plus the odd last byte of chunks. */
  private readonly counted = new Float64Array(BYTES);
  private readonly held = new HeldInstance();
  /** Pairs counted in WASM since the last drain (each bin stays below 2^32). */
  private readonly budget: IncrementBudget;
  private result: TensorStats | null = null;

  constructor(tensor: TensorInfo, maxPending = MAX_PENDING_INCREMENTS) {
    assertLittleEndian();
    this.budget = new IncrementBudget(maxPending);
    this.tensor = tensor;
    this.values = byteCodeValues(tensor);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    const { kind, codes } = badByteKinds(this.values);
    this.badKind = kind;
    this.badCodes = codes;
    this.badRange = badByteRange(kind);
    this.held.get().clearTables(PAIRS);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const wasm = this.owned();
    this.cursor.advance(chunk, firstElement);
    const even = chunk.length & ~1;
    this.reserve(even / 2);
    const check = this.badCodes.length > 0;
    let seen = check ? this.badCount(wasm) : 0;
    const origin = wasm.inPlace(chunk);
    for (let at = 0; at < even; at += wasm.stageBytes) {
      const length = Math.min(wasm.stageBytes, even - at);
      const p = origin >= 0 ? origin + at : wasm.stageBlock(chunk, at, length);
      wasm.count16(p, p + length);
      if (check) {
        const now = this.badCount(wasm);
        if (now !== seen) {
          seen = now;
          this.locate(wasm, p, chunk.subarray(at, at + length), firstElement + at);
        }
      }
    }
    if (even < chunk.length) {
      const last = chunk[even];
      this.counted[last]++;
      locateBadBytes(chunk.subarray(even), firstElement + even, this.badKind, this.bad);
    }
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const wasm = this.owned();
      this.drain(wasm);
      this.held.release();
      this.result = byteCodeStats(this.tensor, this.values, this.counted, this.bad);
    }
    return this.result;
  }

  release(): void {
    this.held.release();
  }

  private owned(): ScanInstance {
    return this.held.get();
  }

  private reserve(pairs: number): void {
    this.budget.reserve(pairs, () => this.drain(this.owned()), `${2 * pairs} bytes`);
  }

  /** Adds the byte counts of the pair tables to `counted` and clears the tables. */
  private drain(wasm: ScanInstance): void {
    wasm.foldPairs();
    const sums = wasm.found >>> 2;
    for (let c = 0; c < BYTES; c++) {
      this.counted[c] += wasm.u32[sums + c] + wasm.u32[sums + BYTES + c];
    }
    wasm.clearTables(PAIRS);
  }

  /**
   * Pair-bin total of the NaN/Inf bytes: for each such byte c, the bins whose high byte is c (a
   * row) and whose low byte is c (a column), both summed in WASM. A pair of two NaN/Inf bytes
   * counts twice; only changes matter.
   */
  private badCount(wasm: ScanInstance): number {
    let n = 0;
    for (const table of [wasm.table0, wasm.table1]) {
      for (const c of this.badCodes) {
        n += wasm.sumBins(table, c * BYTES, (c + 1) * BYTES);
        n += wasm.sumStrided(table + c * BIN_BYTES, BYTES, ROW_BYTES);
      }
    }
    return n;
  }

  /** Records the NaN/Inf bytes of `block`, at byte `p` of WASM memory too, element `first` on. */
  private locate(wasm: ScanInstance, p: number, block: Uint8Array, first: number): void {
    const range = this.badRange;
    const found =
      range === null ? Infinity : wasm.find8(p, p + block.length, range.mask, range.lo, range.hi);
    if (found > wasm.foundCapacity) {
      locateBadBytes(block, first, this.badKind, this.bad);
      return;
    }
    const positions = wasm.found >>> 2;
    for (let k = 0; k < found; k++) {
      const at = wasm.u32[positions + k];
      if (this.badKind[block[at]] === BAD_NAN) {
        this.bad.addNan(first + at);
      } else {
        this.bad.addInf(first + at);
      }
    }
  }
}
