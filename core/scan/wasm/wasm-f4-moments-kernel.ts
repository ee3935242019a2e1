import type { TensorInfo } from '../../format/tensor-info';
import { addF4Moments, emptyF4Moments, f4MomentsStats } from '../f4-moments';
import type { ScanKernel } from '../scan-kernel';
import { assertLittleEndian, ChunkCursor } from '../scan-kernel';
import type { TensorStats } from '../tensor-stats';
import type { ScanInstance } from './scan-instance';
import { HeldInstance } from './scan-instance';

/** moments4 takes whole v128s. */
const VECTOR_BYTES = 16;
/** Bytes per moments4 call at most: its u32 lane totals cannot wrap below 8 MiB. */
const MAX_CALL_BYTES = 8 * 1024 * 1024;
/**
 * The MOMENTS block as moments4 uses it (scan-kernels.wat): i64 counts of zero, saturated,
 * negative, subnormal codes, the sum of 2v (signed) and of (2v)^2; then the v128 (u8 lanes) min
 * and max of 2v + TWICE_BIAS.
 */
const ZERO_AT = 0;
const SATURATED_AT = 8;
const NEGATIVE_AT = 16;
const SUBNORMAL_AT = 24;
const SUM2_AT = 32;
const SQUARES4_AT = 40;
const MIN_AT = 48;
const MAX_AT = 64;
const BLOCK_BYTES = 80;
/** moments4 keeps 2v + 12 (in [0, 24]: unsigned bytes) in its min and max lanes. */
const TWICE_BIAS = 12;
/** The lanes' starting min and max (no code seen yet). */
const MIN_LANE_START = 0xff;
const MAX_LANE_START = 0;

/**
 * F4 (packed E2M1) without a histogram in WebAssembly (`moments4`, SIMD: swizzle tables and
 * widening adds, no per-byte store): the same exact integer totals as F4MomentsKernel, so
 * deep-equal stats. Chunks are scanned in place when they lie in the arena, else staged block by
 * block; bytes past the last whole v128 go through the JS reference.
 */
export class WasmF4MomentsKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly cursor: ChunkCursor;
  /** The bytes moments4 could not take (tails of chunks). */
  private readonly tails = emptyF4Moments();
  private readonly held = new HeldInstance();
  private result: TensorStats | null = null;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    if (tensor.dtype !== 'F4') {
      throw new Error(`${tensor.dtype} is not F4`);
    }
    this.tensor = tensor;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    const wasm = this.held.get();
    wasm.bytes.fill(0, wasm.moments, wasm.moments + BLOCK_BYTES);
    wasm.bytes.fill(MIN_LANE_START, wasm.moments + MIN_AT, wasm.moments + MIN_AT + VECTOR_BYTES);
    wasm.bytes.fill(MAX_LANE_START, wasm.moments + MAX_AT, wasm.moments + MAX_AT + VECTOR_BYTES);
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
      wasm.moments4(p, p + length);
    }
    addF4Moments(this.tails, chunk.subarray(whole));
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const wasm = this.owned();
      const view = new DataView(wasm.bytes.buffer, wasm.moments, BLOCK_BYTES);
      const count = (at: number): number => Number(view.getBigUint64(at, true));
      let min2 = this.tails.min2;
      let max2 = this.tails.max2;
      for (let lane = 0; lane < VECTOR_BYTES; lane++) {
        min2 = Math.min(min2, view.getUint8(MIN_AT + lane) - TWICE_BIAS);
        max2 = Math.max(max2, view.getUint8(MAX_AT + lane) - TWICE_BIAS);
      }
      const moments = {
        zero: count(ZERO_AT) + this.tails.zero,
        saturated: count(SATURATED_AT) + this.tails.saturated,
        negative: count(NEGATIVE_AT) + this.tails.negative,
        subnormal: count(SUBNORMAL_AT) + this.tails.subnormal,
        sum2: view.getBigInt64(SUM2_AT, true) + this.tails.sum2,
        squares4: view.getBigUint64(SQUARES4_AT, true) + this.tails.squares4,
        min2,
        max2,
      };
      this.held.release();
      this.result = f4MomentsStats(this.tensor, moments);
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
