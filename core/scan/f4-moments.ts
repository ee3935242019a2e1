import { F4_TABLE } from '../dtype/fp4';
import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { exactIntegerMoments } from './byte-moments';
import type { ScanKernel } from './scan-kernel';
import { ChunkCursor } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { isSaturated, valueRules } from './value-rules';
import { assembleStats, emptySummary } from './value-summary';

const F4_RULES = valueRules('F4');

/** Each E2M1 code's value times 2: an integer in [-12, 12], so sums of them are exact. */
export const F4_TWICE: Int8Array = Int8Array.from(F4_TABLE, (v) => 2 * v);

/** 1 for the codes whose value passes `test`, else 0. */
function codeFlags(test: (v: number) => boolean): Uint8Array {
  return Uint8Array.from(F4_TABLE, (v) => (test(v) ? 1 : 0));
}

/** Per code, the classes summarizeCodes counts (code-summary.ts), by the same tests. */
const IS_ZERO = codeFlags((v) => v === 0);
const IS_SATURATED = codeFlags((v) => isSaturated(v, F4_RULES));
const IS_NEGATIVE = codeFlags((v) => v < 0);
const IS_SUBNORMAL = codeFlags(
  (v) => F4_RULES.floatLike && v !== 0 && Math.abs(v) < F4_RULES.smallestNormal,
);

/** Totals over the E2M1 codes of packed F4 bytes (both nibbles of every byte). */
export interface F4Moments {
  zero: number;
  saturated: number;
  negative: number;
  subnormal: number;
  /** Sum of 2v and of (2v)^2: exact. */
  sum2: bigint;
  squares4: bigint;
  /** Smallest and largest 2v seen (127 and -128, beyond every code, before any). */
  min2: number;
  max2: number;
}

/** No code seen yet: min2 and max2 start past the largest and smallest 2v. */
const MIN2_START = 127;
const MAX2_START = -128;

export function emptyF4Moments(): F4Moments {
  return {
    zero: 0,
    saturated: 0,
    negative: 0,
    subnormal: 0,
    sum2: 0n,
    squares4: 0n,
    min2: MIN2_START,
    max2: MAX2_START,
  };
}

/** Adds the codes of `chunk` (both nibbles of each byte) to `m`: the reference of moments4. */
export function addF4Moments(m: F4Moments, chunk: Uint8Array): void {
  let zero = 0;
  let saturated = 0;
  let negative = 0;
  let subnormal = 0;
  let sum2 = 0;
  let squares4 = 0;
  let min2 = m.min2;
  let max2 = m.max2;
  for (let i = 0; i < chunk.length; i++) {
    const lo = chunk[i] & 0xf;
    const hi = chunk[i] >>> 4;
    const a = F4_TWICE[lo];
    const b = F4_TWICE[hi];
    zero += IS_ZERO[lo] + IS_ZERO[hi];
    saturated += IS_SATURATED[lo] + IS_SATURATED[hi];
    negative += IS_NEGATIVE[lo] + IS_NEGATIVE[hi];
    subnormal += IS_SUBNORMAL[lo] + IS_SUBNORMAL[hi];
    sum2 += a + b;
    squares4 += a * a + b * b;
    min2 = Math.min(min2, a, b);
    max2 = Math.max(max2, a, b);
  }
  m.zero += zero;
  m.saturated += saturated;
  m.negative += negative;
  m.subnormal += subnormal;
  // A chunk's sums stay below 2^53 (288 per byte): exact as doubles, then exact as BigInt.
  m.sum2 += BigInt(sum2);
  m.squares4 += BigInt(squares4);
  m.min2 = min2;
  m.max2 = max2;
}

/** Sum of 2v and of (2v)^2 from the count of each of the 16 codes (a histogram scan's totals). */
export function f4CodeSums(counts: ArrayLike<number>): { sum2: bigint; squares4: bigint } {
  let sum2 = 0n;
  let squares4 = 0n;
  for (let c = 0; c < F4_TWICE.length; c++) {
    if (counts[c] !== 0) {
      const n = BigInt(counts[c]);
      const t = BigInt(F4_TWICE[c]);
      sum2 += n * t;
      squares4 += n * t * t;
    }
  }
  return { sum2, squares4 };
}

/**
 * Mean and population std of n E2M1 values from the exact sums of 2v and (2v)^2 (the integer
 * moments, halved: exact scaling). Every F4 scan ends here, with or without a histogram, so both
 * give the same digits.
 */
export function f4MeanStd(
  n: number,
  sum2: bigint,
  squares4: bigint,
): { mean: number | null; std: number | null } {
  const { mean, std } = exactIntegerMoments(n, sum2, squares4);
  return { mean: mean === null ? null : mean / 2, std: std === null ? null : std / 2 };
}

/**
 * TensorStats of an F4 tensor from its moments: every field a histogram scan gives
 * (ByteCodeKernel), equal to it, but `histogram`, which is null. E2M1 has no NaN or Inf.
 */
export function f4MomentsStats(tensor: TensorInfo, m: F4Moments): TensorStats {
  if (tensor.dtype !== 'F4') {
    throw new Error(`${tensor.dtype} is not F4`);
  }
  const n = tensor.elements;
  const summary = emptySummary();
  summary.zero = m.zero;
  summary.saturated = m.saturated;
  summary.negative = m.negative;
  summary.subnormal = m.subnormal;
  if (n > 0) {
    summary.min = m.min2 / 2;
    summary.max = m.max2 / 2;
    const { mean, std } = f4MeanStd(n, m.sum2, m.squares4);
    summary.mean = mean;
    summary.std = std;
  }
  return assembleStats(
    tensor,
    F4_RULES.floatLike,
    summary,
    null,
    new BadValueTracker(tensor.shape),
  );
}

/**
 * F4 without a histogram, in JS: the reference WasmF4MomentsKernel must equal. Every total is an
 * exact integer, so chunking cannot change the result. Not what createKernel picks in JS: there
 * ByteCodeKernel's byte counting is several times faster (measured).
 */
export class F4MomentsKernel implements ScanKernel {
  private readonly tensor: TensorInfo;
  private readonly cursor: ChunkCursor;
  private readonly moments = emptyF4Moments();

  constructor(tensor: TensorInfo) {
    if (tensor.dtype !== 'F4') {
      throw new Error(`${tensor.dtype} is not F4`);
    }
    this.tensor = tensor;
    this.cursor = new ChunkCursor(tensor.dtype, tensor.elements);
  }

  update(chunk: Uint8Array, firstElement: number): void {
    this.cursor.advance(chunk, firstElement);
    addF4Moments(this.moments, chunk);
  }

  finish(): TensorStats {
    this.cursor.assertComplete();
    return f4MomentsStats(this.tensor, this.moments);
  }
}
