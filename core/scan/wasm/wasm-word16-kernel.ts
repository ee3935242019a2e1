import type { TensorInfo } from '../../format/tensor-info';
import { BadValueTracker } from '../bad-values';
import type { CodeCounts } from '../code-summary';
import { IncrementBudget, MAX_PENDING_INCREMENTS } from '../count-table';
import type { ScanKernel } from '../scan-kernel';
import { assertLittleEndian, ChunkCursor } from '../scan-kernel';
import type { TensorStats } from '../tensor-stats';
import {
  CODES_16,
  locateWord16Specials,
  specialMagnitude,
  valueDecoder,
  word16Stats,
} from '../word16-kernel';
import type { ScanInstance } from './scan-instance';
import { HeldInstance } from './scan-instance';

/** Sign bit of a 16-bit code, and the rest (its magnitude). */
const SIGN_16 = 0x8000;
const MAGNITUDE_16 = 0x7fff;

/**
 * F16, BF16, I16, U16 in WebAssembly: the same exact count of all 65536 codes as Word16Kernel
 * (two u32 tables in WASM memory, counted by `count16` one 256 KiB block at a time: in place for
 * chunks read into the arena's buffers, else copied into the stage), and the same
 * `word16Stats` at finish, so the stats are deep-equal. After each block the NaN/Inf bins are
 * summed (SIMD); only when they grew is the block searched (`find16`, SIMD) for positions.
 */
export class WasmWord16Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly valueOf: (code: number) => number;
  private readonly cursor: ChunkCursor;
  private readonly bad: BadValueTracker;
  /** Codes at or above this magnitude are NaN/Inf; null for integer dtypes. */
  private readonly infMagnitude: number | null;
  private readonly held = new HeldInstance();
  /** Increments counted in WASM since the last drain (each bin stays below 2^32). */
  private readonly budget: IncrementBudget;
  /** Counts drained out of WASM memory, when a tensor has 2^32 or more elements. */
  private spill: Float64Array | null = null;
  private result: TensorStats | null = null;

  constructor(tensor: TensorInfo, maxPending = MAX_PENDING_INCREMENTS) {
    assertLittleEndian();
    this.budget = new IncrementBudget(maxPending);
    this.tensor = tensor;
    this.valueOf = valueDecoder(tensor.dtype);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    this.infMagnitude = specialMagnitude(tensor.dtype);
    const wasm = this.held.get();
    wasm.clearTables(CODES_16);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const wasm = this.owned();
    const elements = this.cursor.advance(chunk, firstElement);
    this.reserve(elements);
    let seen = this.specialCount(wasm);
    const origin = wasm.inPlace(chunk);
    for (let at = 0; at < chunk.length; at += wasm.stageBytes) {
      const length = Math.min(wasm.stageBytes, chunk.length - at);
      const p = origin >= 0 ? origin + at : wasm.stageBlock(chunk, at, length);
      wasm.count16(p, p + length);
      if (this.infMagnitude !== null) {
        const now = this.specialCount(wasm);
        if (now !== seen) {
          seen = now;
          this.locate(wasm, this.infMagnitude, p, length, firstElement + at / 2);
        }
      }
    }
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const wasm = this.owned();
      wasm.fold16();
      const counts = this.counts(wasm);
      this.held.release();
      this.result = word16Stats(this.tensor, this.valueOf, counts, this.bad);
    }
    return this.result;
  }

  release(): void {
    this.held.release();
  }

  private owned(): ScanInstance {
    return this.held.get();
  }

  private reserve(increments: number): void {
    this.budget.reserve(increments, () => {
      const wasm = this.owned();
      wasm.fold16();
      const spill = this.spill ?? new Float64Array(CODES_16);
      const base = wasm.table0 >>> 2;
      for (let code = 0; code < CODES_16; code++) {
        spill[code] += wasm.u32[base + code];
      }
      wasm.u32.fill(0, base, base + CODES_16);
      this.spill = spill;
    });
  }

  /** Sum of the NaN/Inf bins of both tables (0 for integer dtypes). */
  private specialCount(wasm: ScanInstance): number {
    const inf = this.infMagnitude;
    if (inf === null) {
      return 0;
    }
    let n = 0;
    for (const table of [wasm.table0, wasm.table1]) {
      n += wasm.sumBins(table, inf, SIGN_16) + wasm.sumBins(table, SIGN_16 | inf, CODES_16);
    }
    return n;
  }

  /** Records the NaN/Inf among bytes [p, p + length) of WASM memory, element `firstElement` on. */
  private locate(
    wasm: ScanInstance,
    inf: number,
    p: number,
    length: number,
    firstElement: number,
  ): void {
    const found = wasm.find16(p, p + length, inf);
    if (found > wasm.foundCapacity) {
      locateWord16Specials(wasm.bytes.subarray(p, p + length), firstElement, inf, this.bad);
      return;
    }
    const positions = wasm.found >>> 2;
    const codes = p >>> 1;
    for (let k = 0; k < found; k++) {
      const at = wasm.u32[positions + k];
      if ((wasm.u16[codes + at] & MAGNITUDE_16) > inf) {
        this.bad.addNan(firstElement + at);
      } else {
        this.bad.addInf(firstElement + at);
      }
    }
  }

  /** The non-zero code counts, ascending (as CountTable.nonZero gives them); after fold16. */
  private counts(wasm: ScanInstance): CodeCounts {
    const spill = this.spill;
    if (spill === null) {
      // Listed by WASM: native copies, no JS loop over 65536 bins.
      const n = wasm.compact16();
      const codes = wasm.u16.subarray(wasm.stage >>> 1, (wasm.stage >>> 1) + n);
      const counts = wasm.u32.subarray(wasm.table1 >>> 2, (wasm.table1 >>> 2) + n);
      return { codes: Array.from(codes), counts: Array.from(counts) };
    }
    // Only tensors of 2^32 or more elements drain into `spill`.
    const codes: number[] = [];
    const counts: number[] = [];
    const base = wasm.table0 >>> 2;
    for (let code = 0; code < CODES_16; code++) {
      const n = wasm.u32[base + code] + spill[code];
      if (n !== 0) {
        codes.push(code);
        counts.push(n);
      }
    }
    return { codes, counts };
  }
}
