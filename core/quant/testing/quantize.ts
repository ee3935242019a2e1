/**
 * Quantizers for fixtures, written from the formulas of formats.md §4 (not from the decoders).
 * Each takes a row-major float matrix W [rows, cols] ([out, in]) and returns unpacked codes and
 * scales; packing into each toolchain's bytes is pack.ts's job.
 */
import { F4_TABLE } from '../../dtype/fp4';
import { F8_E4M3_TABLE } from '../../dtype/fp8';
import { encodeE2M1, encodeE4M3, encodeE4M3Signed, encodeE8M0Ceil, E8M0_BIAS } from './encode';

/** Largest E2M1 magnitude and E4M3 magnitude (the NVFP4 scale formulas divide by them). */
const E2M1_MAX = 6;
const E4M3_MAX = 448;
const INT4_LEVELS = 15;

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

function blockAmax(w: Matrix, r: number, c0: number, n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    m = Math.max(m, Math.abs(w.values[r * w.cols + c0 + k]));
  }
  return m;
}

export interface Nvfp4Data {
  /** E2M1 codes [rows, cols]. */
  readonly codes: Uint8Array;
  /** E4M3 scale codes [rows, cols / 16]. */
  readonly scales: Uint8Array;
  /** ModelOpt's weight_scale_2 = amax / (6·448) (compressed-tensors stores its reciprocal). */
  readonly global: number;
}

/** The NVFP4 global scale of a set of values: amax / (6·448). */
export function nvfp4Global(values: ArrayLike<number>): number {
  let amax = 0;
  for (let i = 0; i < values.length; i++) {
    amax = Math.max(amax, Math.abs(values[i]));
  }
  return amax / (E2M1_MAX * E4M3_MAX);
}

/** NVFP4: global = amax/(6·448) (or a shared one); block scale = e4m3(block_amax / (6·global)); code = e2m1(w / (scale·global)). */
export function quantizeNvfp4(w: Matrix, sharedGlobal: number | null = null): Nvfp4Data {
  const amax = w.values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const global = sharedGlobal ?? amax / (E2M1_MAX * E4M3_MAX);
  const blocks = w.cols / 16;
  const codes = new Uint8Array(w.rows * w.cols);
  const scales = new Uint8Array(w.rows * blocks);
  for (let r = 0; r < w.rows; r++) {
    for (let b = 0; b < blocks; b++) {
      const code = encodeE4M3(blockAmax(w, r, b * 16, 16) / (E2M1_MAX * global));
      scales[r * blocks + b] = code;
      const s = F8_E4M3_TABLE[code] * global;
      for (let k = 0; k < 16; k++) {
        const i = r * w.cols + b * 16 + k;
        codes[i] = s === 0 ? 0 : encodeE2M1(w.values[i] / s);
      }
    }
  }
  return { codes, scales, global };
}

export interface Mxfp4Data {
  readonly codes: Uint8Array;
  /** E8M0 codes [rows, cols / 32]. */
  readonly scales: Uint8Array;
}

/** MXFP4: per 32 elements a power-of-two scale 2^ceil(log2(amax/6)); code = e2m1(w / scale). */
export function quantizeMxfp4(w: Matrix): Mxfp4Data {
  const blocks = w.cols / 32;
  const codes = new Uint8Array(w.rows * w.cols);
  const scales = new Uint8Array(w.rows * blocks);
  for (let r = 0; r < w.rows; r++) {
    for (let b = 0; b < blocks; b++) {
      const e = encodeE8M0Ceil(blockAmax(w, r, b * 32, 32) / E2M1_MAX);
      scales[r * blocks + b] = e;
      const s = 2 ** (e - E8M0_BIAS);
      for (let k = 0; k < 32; k++) {
        const i = r * w.cols + b * 32 + k;
        codes[i] = encodeE2M1(w.values[i] / s);
      }
    }
  }
  return { codes, scales };
}

export interface Fp8Data {
  /** E4M3 bytes [rows, cols]. */
  readonly codes: Uint8Array;
  /** One scale per block, [⌈rows/br⌉, ⌈cols/bc⌉] row-major: amax/448 (E8M0-rounded when `mx`). */
  readonly scales: Float64Array;
}

/** FP8 with one scale per br x bc block (tensor: rows x cols; channel: 1 x cols; DeepSeek: 128 x 128). */
export function quantizeFp8(w: Matrix, br: number, bc: number, mx = false): Fp8Data {
  const sr = Math.ceil(w.rows / br);
  const sc = Math.ceil(w.cols / bc);
  const scales = new Float64Array(sr * sc);
  const codes = new Uint8Array(w.rows * w.cols);
  for (let i = 0; i < sr; i++) {
    for (let j = 0; j < sc; j++) {
      let amax = 0;
      for (let r = i * br; r < Math.min(w.rows, (i + 1) * br); r++) {
        amax = Math.max(amax, blockAmax(w, r, j * bc, Math.min(bc, w.cols - j * bc)));
      }
      const raw = amax === 0 ? 1 : amax / E4M3_MAX;
      scales[i * sc + j] = mx ? 2 ** (encodeE8M0Ceil(raw) - E8M0_BIAS) : raw;
    }
  }
  for (let r = 0; r < w.rows; r++) {
    for (let c = 0; c < w.cols; c++) {
      const s = scales[Math.floor(r / br) * sc + Math.floor(c / bc)];
      codes[r * w.cols + c] = encodeE4M3Signed(w.values[r * w.cols + c] / s);
    }
  }
  return { codes, scales };
}

export interface Int4Data {
  /** Unsigned codes q in [0, 15], [rows, cols]. */
  readonly q: Uint8Array;
  /** Zero points z in [minZero, 15], [rows, groups]. */
  readonly zeros: Uint8Array;
  /** Scales [rows, groups]: W ≈ (q - z) · s. */
  readonly scales: Float64Array;
}

/**
 * Asymmetric int4 per group of input columns (AWQ / GPTQ / compressed-tensors): s = (max - min)/15,
 * z = round(-min / s). `groupOf(c)` picks each column's group (act-order when not c / g).
 */
export function quantizeInt4(
  w: Matrix,
  groups: number,
  groupOf: (c: number) => number,
  minZero = 0,
): Int4Data {
  const q = new Uint8Array(w.rows * w.cols);
  const zeros = new Uint8Array(w.rows * groups);
  const scales = new Float64Array(w.rows * groups);
  for (let r = 0; r < w.rows; r++) {
    for (let g = 0; g < groups; g++) {
      let lo = 0;
      let hi = 0;
      for (let c = 0; c < w.cols; c++) {
        if (groupOf(c) === g) {
          lo = Math.min(lo, w.values[r * w.cols + c]);
          hi = Math.max(hi, w.values[r * w.cols + c]);
        }
      }
      const s = hi > lo ? (hi - lo) / INT4_LEVELS : 1;
      scales[r * groups + g] = s;
      zeros[r * groups + g] = Math.max(minZero, Math.min(INT4_LEVELS, Math.round(-lo / s)));
    }
    for (let c = 0; c < w.cols; c++) {
      const g = groupOf(c);
      const v =
        Math.round(w.values[r * w.cols + c] / scales[r * groups + g]) + zeros[r * groups + g];
      q[r * w.cols + c] = Math.max(0, Math.min(INT4_LEVELS, v));
    }
  }
  return { q, zeros, scales };
}

/** Symmetric signed int4 per group (ModelOpt W4A16_AWQ): s = amax/7, q = round(w/s) in [-8, 7]. */
export function quantizeInt4Symmetric(
  w: Matrix,
  group: number,
): { q: Int8Array; scales: Float64Array } {
  const groups = w.cols / group;
  const q = new Int8Array(w.rows * w.cols);
  const scales = new Float64Array(w.rows * groups);
  for (let r = 0; r < w.rows; r++) {
    for (let g = 0; g < groups; g++) {
      const amax = blockAmax(w, r, g * group, group);
      const s = amax === 0 ? 1 : amax / 7;
      scales[r * groups + g] = s;
      for (let k = 0; k < group; k++) {
        const i = r * w.cols + g * group + k;
        q[i] = Math.max(-8, Math.min(7, Math.round(w.values[i] / s)));
      }
    }
  }
  return { q, scales };
}

/** bitsandbytes NF4 table (`get_4bit_type('nf4')`), as formats.md §2 lists it. */
export const NF4_TABLE: readonly number[] = [
  -1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
  0.7229568362236023, 1,
];

/** NF4: per block of `block` flat elements absmax; code = nearest NF4 entry of w / absmax. */
export function quantizeNf4(
  values: Float64Array,
  block: number,
): { codes: Uint8Array; absmax: Float64Array } {
  const blocks = Math.ceil(values.length / block);
  const codes = new Uint8Array(values.length);
  const absmax = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let m = 0;
    for (let i = b * block; i < Math.min(values.length, (b + 1) * block); i++) {
      m = Math.max(m, Math.abs(values[i]));
    }
    absmax[b] = m;
    for (let i = b * block; i < Math.min(values.length, (b + 1) * block); i++) {
      const x = m === 0 ? 0 : values[i] / m;
      let best = 0;
      for (let c = 1; c < 16; c++) {
        if (Math.abs(NF4_TABLE[c] - x) < Math.abs(NF4_TABLE[best] - x)) {
          best = c;
        }
      }
      codes[i] = best;
    }
  }
  return { codes, absmax };
}

/** E2M1 value of a code (for reference dequantization in tests). */
export function e2m1(code: number): number {
  return F4_TABLE[code];
}
