/**
 * Packers for fixtures: unpacked codes -> each toolchain's bytes, from the layouts of formats.md §4
 * (written independently of the decoders, which tests check against them).
 */
import { swizzledShape, swizzleIndex } from '../swizzle';

/** Two 4-bit codes per byte along the last axis; `lowFirst`: element 2k in bits 3..0 (ModelOpt, CT, gpt-oss). */
export function packNibbles(codes: ArrayLike<number>, lowFirst: boolean): Uint8Array {
  const out = new Uint8Array(Math.ceil(codes.length / 2));
  for (let k = 0; k < out.length; k++) {
    const a = codes[2 * k] & 0xf;
    const b = 2 * k + 1 < codes.length ? codes[2 * k + 1] & 0xf : 0;
    out[k] = lowFirst ? a | (b << 4) : (a << 4) | b;
  }
  return out;
}

/** ComfyUI / cuBLAS: a [rows, cols] byte matrix in the 128x4 swizzled, zero-padded layout. */
export function swizzleBytes(bytes: Uint8Array, rows: number, cols: number, pad = 0): Uint8Array {
  const [pr, pc] = swizzledShape(rows, cols);
  const out = new Uint8Array(pr * pc).fill(pad);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[swizzleIndex(r, c, cols)] = bytes[r * cols + c];
    }
  }
  return out;
}

/** AutoAWQ's nibble order: nibble i of a word holds out column 8j + AWQ_ORDER[i]. */
const AWQ_ORDER = [0, 2, 4, 6, 1, 3, 5, 7];

/**
 * AutoAWQ GEMM: values v[r][x] (r = out row of W, x = in column, or group for zeros) packed as
 * I32 [X, R/8]: word (x, j) nibble i = v[8j + AWQ_ORDER[i]][x].
 */
export function packAwq(v: Uint8Array, rows: number, xs: number): Int32Array {
  const out = new Int32Array(xs * (rows / 8));
  for (let x = 0; x < xs; x++) {
    for (let j = 0; j < rows / 8; j++) {
      let word = 0;
      for (let i = 0; i < 8; i++) {
        word |= (v[(8 * j + AWQ_ORDER[i]) * xs + x] & 0xf) << (4 * i);
      }
      out[x * (rows / 8) + j] = word;
    }
  }
  return out;
}

/** GPTQ qweight: q[r][c] packed along c as I32 [C/8, R]: word (k, r) nibble j = q[r][8k + j]. */
export function packGptqWeight(q: Uint8Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array((cols / 8) * rows);
  for (let k = 0; k < cols / 8; k++) {
    for (let r = 0; r < rows; r++) {
      let word = 0;
      for (let j = 0; j < 8; j++) {
        word |= (q[r * cols + 8 * k + j] & 0xf) << (4 * j);
      }
      out[k * rows + r] = word;
    }
  }
  return out;
}

/** GPTQ qzeros (v1 stores z - 1): z[r][g] packed along r as I32 [G, R/8], nibble i = z[8m + i][g] - 1. */
export function packGptqZeros(z: Uint8Array, rows: number, groups: number): Int32Array {
  const out = new Int32Array(groups * (rows / 8));
  for (let g = 0; g < groups; g++) {
    for (let m = 0; m < rows / 8; m++) {
      let word = 0;
      for (let i = 0; i < 8; i++) {
        word |= ((z[(8 * m + i) * groups + g] - 1) & 0xf) << (4 * i);
      }
      out[g * (rows / 8) + m] = word;
    }
  }
  return out;
}

/** compressed-tensors weight_packed: q[r][c] (already + 8) as I32 [R, ⌈C/8⌉], nibble j = column 8k + j. */
export function packCtWeight(q: Uint8Array, rows: number, cols: number): Int32Array {
  const perRow = Math.ceil(cols / 8);
  const out = new Int32Array(rows * perRow);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * perRow + (c >>> 3)] |= (q[r * cols + c] & 0xf) << (4 * (c & 7));
    }
  }
  return out;
}

/** compressed-tensors weight_zero_point: z[r][g] (already + 8) packed along rows, I32 [⌈R/8⌉, G]. */
export function packCtZeros(z: Uint8Array, rows: number, groups: number): Int32Array {
  const out = new Int32Array(Math.ceil(rows / 8) * groups);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      out[(r >>> 3) * groups + g] |= (z[r * groups + g] & 0xf) << (4 * (r & 7));
    }
  }
  return out;
}

/** ModelOpt W4A16_AWQ: signed q[r][c] as U8 [R/2, C], row 2p in the low nibble, 2p + 1 in the high. */
export function packModelOptAwq(q: Int8Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array((rows / 2) * cols);
  for (let p = 0; p < rows / 2; p++) {
    for (let c = 0; c < cols; c++) {
      out[p * cols + c] = (q[2 * p * cols + c] & 0xf) | ((q[(2 * p + 1) * cols + c] & 0xf) << 4);
    }
  }
  return out;
}
