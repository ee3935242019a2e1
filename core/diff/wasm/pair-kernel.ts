import { F4_TABLE } from '../../dtype/fp4';
import type { MetricsSummary } from '../pair-metrics';
import { cosineOf, summarize } from '../pair-metrics';
import type { DiffInstance } from './diff-instance';

/** Byte offsets in the kernel's STATE (diff-kernels.wat says what each holds). */
const S = {
  accAA: 0x00,
  accBB: 0x10,
  accAB: 0x20,
  accEE: 0x30,
  accSwAB: 0x40,
  accMax: 0x50,
  accEqual: 0x60,
  slowAA: 0x70,
  slowBB: 0x78,
  slowAB: 0x80,
  slowEE: 0x88,
  slowSwAA: 0x90,
  slowSwBB: 0x98,
  slowSwAB: 0xa0,
  totalAA: 0xb0,
  totalBB: 0xc0,
  totalAB: 0xd0,
  totalEE: 0xe0,
  totalSwAA: 0xf0,
  totalSwBB: 0x100,
  totalSwAB: 0x110,
  slowMax: 0x120,
  equal: 0x128,
  finite: 0x130,
  nanX: 0x138,
  nanY: 0x140,
  infX: 0x148,
  infY: 0x150,
  newY: 0x158,
  newX: 0x160,
  winAA: 0x170,
  winBB: 0x180,
  winAB: 0x190,
  winEE: 0x1a0,
  winSwAB: 0x1b0,
  winMax: 0x1c0,
  winEqual: 0x1d0,
  end: 0x1e0,
} as const;

/** Elements per sub-block: the kernel's unit (8 f64x2). FP4 block sizes must be multiples of it. */
export const FP4_SUB_BLOCK = 16;

/** Entries of a scale table: one per scale byte value. */
export const FP4_PAIR_TABLE_ENTRIES = 256;

/**
 * How fp8pair widens each FP8 format's bytes to levels (diff-kernels.wat): the magnitude bits
 * shifted into an f32 exponent/mantissa, times 2^(127 − format bias); bytes whose bits under
 * `special` are all set (E4M3FN NaN, E5M2 Inf/NaN) take the scalar path.
 */
const FP8_WIDENING = {
  F8_E4M3: { shift: 20, bias: 2 ** 120, special: 0x7f },
  F8_E5M2: { shift: 21, bias: 2 ** 112, special: 0x7c },
} as const;

export type Fp8Format = keyof typeof FP8_WIDENING;

/** Which side of the pair the float values are. */
export type FloatRole = 'A' | 'B';

/** What the kernel gives: the pair's figures and the cosine of the nibble-swapped reading (FP4). */
export interface PairResultFigures {
  readonly metrics: MetricsSummary;
  readonly nibblesSwapped: number | null;
}

/**
 * The running figures of one pair in a DiffInstance: x the float side, y the dequantized FP4 side
 * (`run`: whole blocks in element order), a dequantized FP8 side (`runFp8`) or another float
 * tensor (`runPlain`, x being A); `result`
 * reads the figures as PairMetrics (and, for FP4, the nibble-swapped CosineAccumulator) would
 * give them. One kind of run per pair.
 */
export class PairKernel {
  private total = 0;

  constructor(private readonly wasm: DiffInstance) {
    wasm.bytes.fill(0, wasm.state, wasm.state + S.end);
    const f64 = wasm.f64;
    const bytes = wasm.bytes;
    const top = wasm.levels + 0x80;
    const level = new Float32Array(1);
    const bits = new Uint32Array(level.buffer);
    for (let c = 0; c < 16; c++) {
      f64[wasm.levels / 8 + c] = F4_TABLE[c];
      level[0] = F4_TABLE[c];
      if ((bits[0] & 0xffff) !== 0 || level[0] !== F4_TABLE[c]) {
        throw new Error(`E2M1 level ${F4_TABLE[c]} is not a BF16 value`);
      }
      bytes[top + c] = bits[0] >>> 24;
      bytes[top + 16 + c] = (bits[0] >>> 16) & 0xff;
    }
  }

  /** The combined scale of each scale byte (block scale with the global) for the next `run`s. */
  setScales(table: Float64Array): void {
    this.setTable(table);
    this.wasm.split();
  }

  /** The level of each FP8 byte (the JS decoder's table) for the next `runFp8`s. */
  setLevels(table: Float64Array): void {
    this.setTable(table);
  }

  private setTable(table: Float64Array): void {
    if (table.length !== FP4_PAIR_TABLE_ENTRIES) {
      throw new RangeError(`a byte table has ${FP4_PAIR_TABLE_ENTRIES} entries`);
    }
    this.wasm.f64.set(table, this.wasm.table / 8);
  }

  /**
   * Adds `blocks` blocks of `blockSize` elements: float values at byte `x` (BF16 or F32), packed
   * nibbles at `q`, one scale byte per block at `sc` (all offsets in the instance's memory).
   */
  run(
    x: number,
    bf16: boolean,
    q: number,
    sc: number,
    blocks: number,
    blockSize: number,
    highFirst: boolean,
  ): void {
    if (blockSize <= 0 || blockSize % FP4_SUB_BLOCK !== 0) {
      throw new RangeError(`FP4 blocks of ${blockSize} elements are not whole sub-blocks`);
    }
    if (blocks > 0) {
      const sub = blockSize / FP4_SUB_BLOCK;
      this.wasm.fp4pair(x, bf16 ? 1 : 0, q, sc, blocks, sub, highFirst ? 1 : 0);
      this.total += blocks * blockSize;
    }
  }

  /**
   * Adds `subs` sub-blocks of 16 elements of an FP8 weight: float values at byte `x` (BF16 or
   * F32), FP8 bytes at `q`, one f64 scale per sub-block at byte `sp` (8-aligned).
   */
  runFp8(x: number, bf16: boolean, q: number, sp: number, subs: number, format: Fp8Format): void {
    if (this.total % FP4_SUB_BLOCK !== 0) {
      throw new RangeError('only the last run of a pair may end inside a sub-block');
    }
    if (subs > 0) {
      const w = FP8_WIDENING[format];
      this.wasm.fp8pair(x, bf16 ? 1 : 0, q, sp, subs, w.shift, w.bias, w.special);
      this.total += subs * FP4_SUB_BLOCK;
    }
  }

  /**
   * Adds `n` elements of two float tensors: x at byte `x`, y at byte `y` (each BF16 or F32). Every
   * call but the pair's last must bring a multiple of FP4_SUB_BLOCK elements (groups stay
   * aligned on the element index).
   */
  runPlain(x: number, xBf16: boolean, y: number, yBf16: boolean, n: number): void {
    if (this.total % FP4_SUB_BLOCK !== 0) {
      throw new RangeError('only the last run of a pair may end inside a sub-block');
    }
    if (n > 0) {
      this.wasm.plainpair(x, xBf16 ? 1 : 0, y, yBf16 ? 1 : 0, n);
      this.total += n;
    }
  }

  /** The figures so far, with the float side (x) as A or as B. */
  result(floatIs: FloatRole): PairResultFigures {
    const f64 = this.wasm.f64;
    const at = this.wasm.state;
    const get = (slot: number): number => f64[(at + slot) / 8];
    const f32 = new Float32Array(this.wasm.bytes.buffer, at + S.winAA, (S.end - S.winAA) / 4);
    const i32 = new Int32Array(this.wasm.bytes.buffer, at + S.winEqual, 4);
    /** The four f32 lanes of a window slot (fp4pair's, not yet folded into the group's). */
    const window = (slot: number): number => {
      const k = (slot - S.winAA) / 4;
      return f32[k] + f32[k + 1] + (f32[k + 2] + f32[k + 3]);
    };
    const lanes = (slot: number, win: number): number => get(slot) + get(slot + 8) + window(win);
    /** CompensatedSum.plus of the (sum, carry) pair at `slot`. */
    const plus = (slot: number, x: number): number => {
      const sum = get(slot);
      const t = sum + x;
      const carry =
        Math.abs(sum) >= Math.abs(x)
          ? get(slot + 8) + (sum - t + x)
          : get(slot + 8) + (x - t + sum);
      return t + carry;
    };
    const i64 = this.wasm.i64;
    const eqAt = (at + S.accEqual) / 8;
    const vectorEqual = Number(i64[eqAt] + i64[eqAt + 1]) + i32[0] + i32[1] + i32[2] + i32[3];
    const xx = plus(S.totalAA, lanes(S.accAA, S.winAA) + get(S.slowAA));
    const yy = plus(S.totalBB, lanes(S.accBB, S.winBB) + get(S.slowBB));
    const m = (S.winMax - S.winAA) / 4;
    const xIsA = floatIs === 'A';
    const metrics = summarize({
      aa: xIsA ? xx : yy,
      bb: xIsA ? yy : xx,
      ab: plus(S.totalAB, lanes(S.accAB, S.winAB) + get(S.slowAB)),
      ee: plus(S.totalEE, lanes(S.accEE, S.winEE) + get(S.slowEE)),
      maxAbs: Math.max(
        get(S.accMax),
        get(S.accMax + 8),
        get(S.slowMax),
        f32[m],
        f32[m + 1],
        f32[m + 2],
        f32[m + 3],
      ),
      equal: vectorEqual + get(S.equal),
      total: this.total,
      finite: get(S.finite),
      nanA: get(xIsA ? S.nanX : S.nanY),
      nanB: get(xIsA ? S.nanY : S.nanX),
      infA: get(xIsA ? S.infX : S.infY),
      infB: get(xIsA ? S.infY : S.infX),
      newNonFiniteB: get(xIsA ? S.newY : S.newX),
    });
    const nibblesSwapped = cosineOf(
      plus(S.totalSwAB, lanes(S.accSwAB, S.winSwAB) + get(S.slowSwAB)),
      plus(S.totalSwAA, lanes(S.accAA, S.winAA) + get(S.slowSwAA)),
      plus(S.totalSwBB, lanes(S.accBB, S.winBB) + get(S.slowSwBB)),
    );
    return { metrics, nibblesSwapped };
  }
}
