import type { TensorInfo } from '../format/tensor-info';
import type { ScanKernel } from './scan-kernel';
import { ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';

/**
 * Byte dtypes whose stats a histogram-free kernel can give exactly (`detail: 'counts'`): integers,
 * whose every count and sum is an exact integer. (FP8's mean needs each byte's value: a table
 * lookup per element, which is what the histogram kernel already is.)
 */
export type MomentsDtype = 'U8' | 'I8';

export function isMomentsDtype(dtype: string): dtype is MomentsDtype {
  return dtype === 'U8' || dtype === 'I8';
}

/** Each byte b is read as u = b ^ bias: I8's signed order becomes unsigned order (moments8). */
export function momentsBias(dtype: MomentsDtype): number {
  return dtype === 'I8' ? 0x80 : 0;
}

/** Totals over bytes read as u = b ^ bias (see momentsBias). */
export interface ByteMoments {
  /** Bytes with u = 0x00, u = 0xFF, u = 0x80, u < 0x80. */
  c00: number;
  cff: number;
  c80: number;
  clo: number;
  /** Sum of u and of u * u: exact. */
  sum: bigint;
  squares: bigint;
  /** Smallest and largest u seen (255 and 0 before any byte). */
  minU: number;
  maxU: number;
}

export function emptyMoments(): ByteMoments {
  return { c00: 0, cff: 0, c80: 0, clo: 0, sum: 0n, squares: 0n, minU: 255, maxU: 0 };
}

/** Adds the bytes of `chunk` to `m`, one at a time (the reference of moments8). */
export function addMoments(m: ByteMoments, chunk: Uint8Array, bias: number): void {
  let c00 = 0;
  let cff = 0;
  let c80 = 0;
  let clo = 0;
  let sum = 0;
  let squares = 0;
  let minU = m.minU;
  let maxU = m.maxU;
  for (let i = 0; i < chunk.length; i++) {
    const u = chunk[i] ^ bias;
    c00 += u === 0x00 ? 1 : 0;
    cff += u === 0xff ? 1 : 0;
    c80 += u === 0x80 ? 1 : 0;
    clo += u < 0x80 ? 1 : 0;
    sum += u;
    squares += u * u;
    minU = u < minU ? u : minU;
    maxU = u > maxU ? u : maxU;
  }
  m.c00 += c00;
  m.cff += cff;
  m.c80 += c80;
  m.clo += clo;
  // A chunk's sums stay below 2^53 (65025 per byte): exact as doubles, then exact as BigInt.
  m.sum += BigInt(sum);
  m.squares += BigInt(squares);
  m.minU = minU;
  m.maxU = maxU;
}

/**
 * Mean and population std of n integers from their exact sum and sum of squares:
 * variance = (n * sum(v^2) - sum(v)^2) / n^2, the numerator exact in BigInt. Every 8-bit integer
 * scan ends here, with or without a histogram, so both give the same digits.
 */
export function exactIntegerMoments(
  n: number,
  sum: bigint,
  squares: bigint,
): { mean: number | null; std: number | null } {
  if (n === 0) {
    return { mean: null, std: null };
  }
  const big = BigInt(n);
  const numerator = big * squares - sum * sum;
  return { mean: Number(sum) / n, std: Math.sqrt(Number(numerator) / Number(big * big)) };
}

/**
 * TensorStats of a U8 / I8 tensor from its byte moments: every field a histogram scan gives
 * (ByteCodeKernel), equal to it, but `histogram`, which is null.
 */
export function byteMomentsStats(tensor: TensorInfo, m: ByteMoments): TensorStats {
  if (!isMomentsDtype(tensor.dtype)) {
    throw new Error(`${tensor.dtype} has no moments kernel`);
  }
  const signed = tensor.dtype === 'I8';
  const n = tensor.elements;
  const shift = signed ? 128 : 0;
  // v = u - shift: sum(v) = sum(u) - shift n; sum(v^2) = sum(u^2) - 2 shift sum(u) + shift^2 n.
  const bigN = BigInt(n);
  const bigShift = BigInt(shift);
  const sum = m.sum - bigShift * bigN;
  const squares = m.squares - 2n * bigShift * m.sum + bigShift * bigShift * bigN;
  const { mean, std } = exactIntegerMoments(n, sum, squares);
  const min = n === 0 ? null : m.minU - shift;
  const max = n === 0 ? null : m.maxU - shift;
  return {
    name: tensor.name,
    dtype: tensor.dtype,
    elements: n,
    floatLike: false,
    nan: 0,
    posInf: 0,
    negInf: 0,
    // U8 zero is u = 0; I8 zero (b = 0) is u = 0x80.
    zero: signed ? m.c80 : m.c00,
    subnormal: 0,
    // value-rules.ts: U8 its maximum 255 only, I8 -128 (u = 0) and 127 (u = 0xFF).
    saturated: signed ? m.c00 + m.cff : m.cff,
    // I8 b >= 0x80 is u < 0x80.
    negative: signed ? m.clo : 0,
    min,
    max,
    absmax: min === null || max === null ? null : Math.max(Math.abs(min), Math.abs(max)),
    mean: mean === 0 ? 0 : mean,
    std,
    histogram: null,
    nanIndices: [],
    infIndices: [],
    densityMap: null,
  };
}

/**
 * U8 / I8 without a histogram (`detail: 'counts'`), in JS: the reference WasmByteMomentsKernel
 * must equal. Every total is an exact integer, so chunking cannot change the result.
 */
export class ByteMomentsKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly cursor: ChunkCursor;
  private readonly bias: number;
  private readonly moments = emptyMoments();

  constructor(tensor: TensorInfo) {
    if (!isMomentsDtype(tensor.dtype)) {
      throw new Error(`${tensor.dtype} has no moments kernel`);
    }
    this.tensor = tensor;
    this.bias = momentsBias(tensor.dtype);
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    addMoments(this.moments, chunk, this.bias);
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    return byteMomentsStats(this.tensor, this.moments);
  }
}
