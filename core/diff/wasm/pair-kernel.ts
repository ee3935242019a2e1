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
  end: 0x170,
} as const;

/** Elements per sub-block: the kernel's unit (8 f64x2). FP4 block sizes must be multiples of it. */
export const FP4_SUB_BLOCK = 16;

/** Entries of a scale table: one per scale byte value. */
export const FP4_PAIR_TABLE_ENTRIES = 256;

/** Which side of the pair the float values are. */
export type FloatRole = 'A' | 'B';

/** What the kernel gives: the pair's figures and the cosine of the nibble-swapped reading (FP4). */
export interface PairResultFigures {
  readonly metrics: MetricsSummary;
  readonly nibblesSwapped: number | null;
}

/**
 * The running figures of one pair in a DiffInstance: x the float side, y the dequantized FP4 side
 * (`run`: whole blocks in element order) or another float tensor (`runPlain`, x being A); `result`
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
    const bits = new Uint8Array(8);
    const level = new Float64Array(bits.buffer);
    for (let c = 0; c < 16; c++) {
      f64[wasm.levels / 8 + c] = F4_TABLE[c];
      level[0] = F4_TABLE[c];
      if (bits.subarray(0, 6).some((b) => b !== 0)) {
        throw new Error(`E2M1 level ${F4_TABLE[c]} has more than 16 significant bits`);
      }
      bytes[top + c] = bits[7];
      bytes[top + 16 + c] = bits[6];
    }
  }

  /** The combined scale of each scale byte (block scale with the global) for the next `run`s. */
  setScales(table: Float64Array): void {
    if (table.length !== FP4_PAIR_TABLE_ENTRIES) {
      throw new RangeError(`a scale table has ${FP4_PAIR_TABLE_ENTRIES} entries`);
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
    const lanes = (slot: number): number => get(slot) + get(slot + 8);
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
    const vectorEqual = Number(i64[eqAt] + i64[eqAt + 1]);
    const xx = plus(S.totalAA, lanes(S.accAA) + get(S.slowAA));
    const yy = plus(S.totalBB, lanes(S.accBB) + get(S.slowBB));
    const xIsA = floatIs === 'A';
    const metrics = summarize({
      aa: xIsA ? xx : yy,
      bb: xIsA ? yy : xx,
      ab: plus(S.totalAB, lanes(S.accAB) + get(S.slowAB)),
      ee: plus(S.totalEE, lanes(S.accEE) + get(S.slowEE)),
      maxAbs: Math.max(get(S.accMax), get(S.accMax + 8), get(S.slowMax)),
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
      plus(S.totalSwAB, lanes(S.accSwAB) + get(S.slowSwAB)),
      plus(S.totalSwAA, lanes(S.accAA) + get(S.slowSwAA)),
      plus(S.totalSwBB, lanes(S.accBB) + get(S.slowSwBB)),
    );
    return { metrics, nibblesSwapped };
  }
}
