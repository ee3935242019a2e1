import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { ExponentCounts, exponentRange } from './exponent-histogram';
import type { ExponentRange } from './exponent-histogram';
import type { Float32Sums } from './float32-kernel';
import {
  F32_TOP_BINS,
  f32TopBin,
  firstFinitePart,
  float32Stats,
  locateFloat32Specials,
  NARROW_F32_PARTS,
} from './float32-kernel';
import { PLATFORM_IS_LITTLE_ENDIAN } from './scan-kernel';
import type { TensorStats } from './tensor-stats';
import { sortSmall } from './sort-small';

/** binary32 fields, as in float32-kernel.ts: NaN/Inf have all exponent bits set. */
const F32_MANTISSA_BITS = 23;
const F32_EXPONENT_ALL_ONES = 0xff;
const F32_MAGNITUDE_MASK = 0x7fffffff;
/** |bits| of the largest finite binary32: the only saturated magnitude. */
const F32_LARGEST_FINITE_BITS = 0x7f7fffff;

function f32Range(): ExponentRange {
  const range = exponentRange('F32');
  if (range === null) {
    throw new Error('F32 has no exponent range');
  }
  return range;
}

/** The exponent bins of F32 and C64 (the same), for the counts of a tensor that wants a histogram. */
const F32_RANGE = f32Range();

/**
 * The parts of the tensor being scanned, copied here: aligned whatever the chunk's offset, and no
 * typed-array views made per tensor. NARROW_F32_PARTS parts at most (the Float32Kernel's own
 * narrow limit, under which it notes the bins it counts into, as this does).
 */
const scratch = new ArrayBuffer(NARROW_F32_PARTS * 4);
const scratchBytes = new Uint8Array(scratch);
const scratchU32 = new Uint32Array(scratch);
const scratchF32 = new Float32Array(scratch);
/** Top-bin counts of the tensor being scanned: its touched bins are zeroed again after it. */
const top = new Float64Array(F32_TOP_BINS);
/** The top bins it counted into, ascending once sorted: read by float32Stats, never kept. */
const touched: number[] = [];
/**
 * NaN/Inf counts of a tensor that wants no histogram: float32Stats reads only them (and sets
 * `zero`), never the bins, so one serves every such tensor, cleared before each.
 */
const countsOnly = new ExponentCounts(F32_RANGE);

/**
 * The stats a JS Float32Kernel gives for an F32 or C64 `tensor` fed `bytes` (all of its bytes, at
 * most NARROW_F32_PARTS parts) in one chunk, computed the same way, part by part, without one:
 * module scratch tables, and a BadValueTracker only when a NaN/Inf occurs. Null when this path does
 * not apply (another dtype, more parts, a byte count that does not match the tensor's elements,
 * which the kernel rejects, or a big-endian platform): scan with a kernel then.
 */
export function scanTinyFloat32(
  tensor: TensorInfo,
  bytes: Uint8Array,
  withHistogram: boolean,
): TensorStats | null {
  const dtype = tensor.dtype;
  if ((dtype !== 'F32' && dtype !== 'C64') || !PLATFORM_IS_LITTLE_ENDIAN) {
    return null;
  }
  const partsShift = dtype === 'C64' ? 1 : 0;
  const n = bytes.length >>> 2;
  if (n > NARROW_F32_PARTS || n << 2 !== bytes.length || n !== tensor.elements << partsShift) {
    return null;
  }
  scratchBytes.set(bytes);
  const u32 = scratchU32;
  const f32 = scratchF32;
  // As Float32Kernel.update / scanBlock: sums of v - shift, shift the first finite part.
  const first = firstFinitePart(u32, 0, n);
  const shift = first >= 0 ? f32[first] : 0;
  let zero = 0;
  let saturated = 0;
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  let sum = 0;
  let sumSquares = 0;
  let special = 0;
  touched.length = 0;
  for (let i = 0; i < n; i++) {
    const bits = u32[i];
    const signExponent = bits >>> F32_MANTISSA_BITS;
    const e = signExponent & F32_EXPONENT_ALL_ONES;
    if (e === F32_EXPONENT_ALL_ONES) {
      special++;
      continue;
    }
    const bin = f32TopBin(bits);
    if (bin < 0) {
      zero++; // finite and in no top bin
    } else {
      if (top[bin]++ === 0) {
        touched.push(bin);
      }
      if ((bits & F32_MAGNITUDE_MASK) === F32_LARGEST_FINITE_BITS) {
        saturated++;
      }
    }
    const v = f32[i];
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
    total += v;
    const d = v - shift;
    sum += d;
    sumSquares += d * d;
  }
  const exponents = withHistogram ? new ExponentCounts(F32_RANGE) : countsOnly;
  exponents.nan = exponents.posInf = exponents.negInf = exponents.zero = 0;
  let bad: BadValueTracker | null = null;
  if (special > 0) {
    bad = new BadValueTracker(tensor.shape);
    locateFloat32Specials(u32, 0, n, 0, partsShift, exponents, bad);
  }
  const sums: Float32Sums = {
    zero,
    saturated,
    finite: n - special,
    min,
    max,
    total,
    sum,
    sumSquares,
  };
  sortSmall(touched);
  try {
    return float32Stats(tensor, top, exponents, sums, bad, withHistogram, touched);
  } finally {
    for (const at of touched) {
      top[at] = 0;
    }
  }
}
