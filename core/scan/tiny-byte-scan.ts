import type { TensorInfo } from '../format/tensor-info';
import { BadValueTracker } from './bad-values';
import { isMomentsDtype } from './byte-moments';
import {
  badByteKinds,
  byteCodeStats,
  byteCodeValues,
  locateBadBytes,
  NARROW_CHUNK_BYTES,
} from './byte-code-kernel';
import { sortSmall } from './sort-small';
import type { TensorStats } from './tensor-stats';
import { kernelFamily } from './kernel-family';

/**
 * Byte tensors shorter than this are scanned by `scanTinyBytes` when they arrive whole: the
 * ByteCodeKernel's own narrow-chunk limit (NARROW_CHUNK_BYTES), under which it counts byte by byte
 * too, so the two do the same work but the kernel, its cursor, count table and tracker objects.
 */
export const TINY_BYTE_SCAN_BYTES = NARROW_CHUNK_BYTES;

/** Byte counts of the tensor being scanned: zeroed again (its touched bins) before the next. */
const counts = new Float64Array(256);
/** The byte values that occur in it, ascending once sorted: read by byteCodeStats, never kept. */
const touched: number[] = [];

/** A byte dtype's code values and NaN/Inf bytes (`byteCodeValues`, `badByteKinds`). */
interface ByteCodes {
  readonly values: Float64Array;
  readonly kind: Uint8Array;
  readonly codes: readonly number[];
}

/**
 * ByteCodes by dtype: looked up by name, where `badByteKinds` looks them up by table in a
 * WeakMap (measured: ~0.7 us per tensor, 150 ms of 200,000 tiny byte tensors).
 */
const codesByDtype = new Map<string, ByteCodes>();

function codesOf(tensor: TensorInfo): ByteCodes {
  let known = codesByDtype.get(tensor.dtype);
  if (known === undefined) {
    const values = byteCodeValues(tensor);
    known = { values, ...badByteKinds(values) };
    codesByDtype.set(tensor.dtype, known);
  }
  return known;
}

/**
 * The stats a JS ByteCodeKernel gives for `tensor` fed `bytes` (all of its bytes, fewer than
 * TINY_BYTE_SCAN_BYTES) in one chunk, computed without one: module scratch counts, and a
 * BadValueTracker only when a NaN/Inf byte occurs. Null when this path does not apply (another
 * dtype family; U8 / I8 without a histogram, which the moments kernel scans; a byte count that does
 * not match the tensor's elements, which the kernel rejects): scan with a kernel then.
 */
export function scanTinyBytes(
  tensor: TensorInfo,
  bytes: Uint8Array,
  withHistogram: boolean,
): TensorStats | null {
  if (
    kernelFamily(tensor.dtype) !== 'byte-code' ||
    bytes.length >= TINY_BYTE_SCAN_BYTES ||
    (!withHistogram && isMomentsDtype(tensor.dtype))
  ) {
    return null;
  }
  // One element per byte; F4 holds two (no partial groups: every byte is a whole group).
  if ((tensor.dtype === 'F4' ? 2 * bytes.length : bytes.length) !== tensor.elements) {
    return null;
  }
  const { values, kind, codes } = codesOf(tensor);
  let anyBad = false;
  touched.length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (counts[b]++ === 0) {
      touched.push(b);
      anyBad ||= kind[b] !== 0;
    }
  }
  sortSmall(touched);
  let bad: BadValueTracker | null = null;
  if (anyBad && codes.length > 0) {
    bad = new BadValueTracker(tensor.shape);
    locateBadBytes(bytes, 0, kind, bad);
  }
  try {
    return byteCodeStats(tensor, values, counts, bad, withHistogram, touched);
  } finally {
    for (const b of touched) {
      counts[b] = 0;
    }
  }
}
