import type { TensorInfo } from '../../format/tensor-info';
import {
  addMoments,
  byteMomentsStats,
  emptyMoments,
  isMomentsDtype,
  momentsBias,
} from '../byte-moments';
import type { ScanKernel } from '../scan-kernel';
import { assertLittleEndian, ChunkCursor } from '../scan-kernel';
import type { TensorStats } from '../tensor-stats';
import type { ScanInstance } from './scan-instance';
import { HeldInstance } from './scan-instance';

/** moments8 takes whole v128s. */
const VECTOR_BYTES = 16;
/** Bytes per moments8 call at most: its u32 lane totals cannot wrap below 8 MiB. */
const MAX_CALL_BYTES = 8 * 1024 * 1024;
/** The MOMENTS block: 6 i64 totals, then the v128 min and max of u (scan-kernels.wat). */
const TOTALS = 6;
const MIN_AT = 48;
const MAX_AT = 64;
const BLOCK_BYTES = 80;

/**
 * U8 / I8 without a histogram in WebAssembly (`moments8`, SIMD: compares and widening adds, no
 * per-byte store): the same exact integer totals as ByteMomentsKernel, so deep-equal stats.
 * Chunks are scanned in place when they lie in the arena, else staged block by block; bytes past
 * the last whole v128 go through the JS reference.
 */
export class WasmByteMomentsKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly cursor: ChunkCursor;
  private readonly bias: number;
  /** The bytes moments8 could not take (tails of chunks). */
  private readonly tails = emptyMoments();
  private readonly held = new HeldInstance();
  private result: TensorStats | null = null;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    if (!isMomentsDtype(tensor.dtype)) {
      throw new Error(`${tensor.dtype} has no moments kernel`);
    }
    this.tensor = tensor;
    this.bias = momentsBias(tensor.dtype);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    const wasm = this.held.get();
    wasm.bytes.fill(0, wasm.moments, wasm.moments + BLOCK_BYTES);
    wasm.bytes.fill(0xff, wasm.moments + MIN_AT, wasm.moments + MIN_AT + VECTOR_BYTES);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const wasm = this.owned();
    this.cursor.advance(chunk, firstElement);
    const whole = chunk.length - (chunk.length % VECTOR_BYTES);
    const origin = wasm.inPlace(chunk);
    const step = origin >= 0 ? MAX_CALL_BYTES : wasm.stageBytes;
    for (let at = 0; at < whole; at += step) {
      const length = Math.min(step, whole - at);
      const p = origin >= 0 ? origin + at : wasm.stageBlock(chunk, at, length);
      wasm.moments8(p, p + length, this.bias);
    }
    addMoments(this.tails, chunk.subarray(whole), this.bias);
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const wasm = this.owned();
      const view = new DataView(wasm.bytes.buffer, wasm.moments, BLOCK_BYTES);
      const total = (k: number): bigint => view.getBigUint64(8 * k, true);
      const totals = Array.from({ length: TOTALS }, (_, k) => total(k));
      let minU = this.tails.minU;
      let maxU = this.tails.maxU;
      for (let lane = 0; lane < VECTOR_BYTES; lane++) {
        minU = Math.min(minU, view.getUint8(MIN_AT + lane));
        maxU = Math.max(maxU, view.getUint8(MAX_AT + lane));
      }
      this.held.release();
      this.result = byteMomentsStats(this.tensor, {
        c00: Number(totals[0]) + this.tails.c00,
        cff: Number(totals[1]) + this.tails.cff,
        c80: Number(totals[2]) + this.tails.c80,
        clo: Number(totals[3]) + this.tails.clo,
        sum: totals[4] + this.tails.sum,
        squares: totals[5] + this.tails.squares,
        minU,
        maxU,
      });
    }
    return this.result;
  }

  release(): void {
    this.held.release();
  }

  private owned(): ScanInstance {
    return this.held.get();
  }
}
