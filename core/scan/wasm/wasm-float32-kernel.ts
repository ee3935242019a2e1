import type { TensorInfo } from '../../format/tensor-info';
import { BadValueTracker } from '../bad-values';
import { CountTable } from '../count-table';
import { ExponentCounts } from '../exponent-histogram';
import {
  F32_TOP_BINS,
  firstFinitePart,
  float32Layout,
  float32Stats,
  locateFloat32Specials,
} from '../float32-kernel';
import type { ScanKernel } from '../scan-kernel';
import { assertLittleEndian, ChunkCursor } from '../scan-kernel';
import type { TensorStats } from '../tensor-stats';
import type { ScanInstance } from './scan-instance';
import { HeldInstance } from './scan-instance';

/** Bytes per binary32 part. */
const PART_BYTES = 4;
/** The f64 slots of STATE (scan-kernels.wat, `f32scan`). */
const MIN = 0;
const MAX = 1;
const TOTAL = 2;
const SUM = 3;
const SUM_SQUARES = 4;
const SHIFT = 5;
const ZERO = 6;
const SATURATED = 7;
const STATE_SLOTS = 8;

/**
 * F32 and C64 in WebAssembly: `f32scan` is Float32Kernel's hot loop, the same operations in the
 * same element order (so its f64 sums are bit-identical), one stage block at a time with its state
 * in WASM memory; counters, NaN/Inf location and `float32Stats` are shared with Float32Kernel.
 */
export class WasmFloat32Kernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  /** log2 of float parts per element: 0 for F32, 1 for C64. */
  private readonly partsShift: number;
  private readonly cursor: ChunkCursor;
  private readonly bad: BadValueTracker;
  private readonly top: CountTable;
  private readonly exponents: ExponentCounts;
  private readonly held = new HeldInstance();
  private hasShift = false;
  private finite = 0;
  private result: TensorStats | null = null;

  constructor(tensor: TensorInfo) {
    assertLittleEndian();
    const { range, partsShift } = float32Layout(tensor);
    this.tensor = tensor;
    this.partsShift = partsShift;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
    this.bad = new BadValueTracker(tensor.shape);
    this.exponents = new ExponentCounts(range);
    const wasm = this.held.get();
    const bins = wasm.u32.subarray(wasm.table0 >>> 2, (wasm.table0 >>> 2) + F32_TOP_BINS);
    bins.fill(0);
    this.top = new CountTable(F32_TOP_BINS, bins);
    const state = wasm.state >>> 3;
    wasm.f64.fill(0, state, state + STATE_SLOTS);
    wasm.f64[state + MIN] = Infinity;
    wasm.f64[state + MAX] = -Infinity;
  }

  update(chunk: Uint8Array, firstElement: number): void {
    const wasm = this.owned();
    this.cursor.advance(chunk, firstElement);
    this.top.reserve(chunk.length / PART_BYTES);
    const origin = wasm.inPlace(chunk);
    for (let at = 0; at < chunk.length; at += wasm.stageBytes) {
      const length = Math.min(wasm.stageBytes, chunk.length - at);
      const p = origin >= 0 ? origin + at : wasm.stageBlock(chunk, at, length);
      const first = p / PART_BYTES;
      const parts = length / PART_BYTES;
      if (!this.hasShift) {
        const i = firstFinitePart(wasm.u32, first, first + parts);
        if (i >= 0) {
          wasm.f64[(wasm.state >>> 3) + SHIFT] = wasm.f32[i];
          this.hasShift = true;
        }
      }
      const special = wasm.f32scan(p, p + length);
      this.finite += parts - special;
      if (special > 0) {
        // Part i of memory is chunk part at / 4 + (i - first); `first` (p is 16-aligned) and a
        // C64 `at / 4` are even, so the element of part i is zero + (i >>> partsShift).
        const zero = firstElement + (at / PART_BYTES - first) / (1 << this.partsShift);
        const shift = this.partsShift;
        locateFloat32Specials(
          wasm.u32,
          first,
          first + parts,
          zero,
          shift,
          this.exponents,
          this.bad,
        );
      }
    }
  }

  finish(): TensorStats {
    if (this.result === null) {
      this.cursor.assertComplete();
      const wasm = this.owned();
      const state = wasm.state >>> 3;
      const f = wasm.f64;
      const top = this.top.totals();
      const sums = {
        zero: f[state + ZERO],
        saturated: f[state + SATURATED],
        finite: this.finite,
        min: f[state + MIN],
        max: f[state + MAX],
        total: f[state + TOTAL],
        sum: f[state + SUM],
        sumSquares: f[state + SUM_SQUARES],
      };
      this.held.release();
      this.result = float32Stats(this.tensor, top, this.exponents, sums, this.bad);
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
