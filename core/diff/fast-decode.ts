import type { Dtype } from '../dtype/dtype';
import { decodeToFloat64 } from '../dtype/decode-value';
import { decodeF16 } from '../dtype/half';

/** Every F16 code's value, built on first use (512 KiB): one lookup per element. */
let f16Table: Float64Array | null = null;

function f16Values(): Float64Array {
  f16Table ??= Float64Array.from({ length: 65536 }, (_, c) => decodeF16(c));
  return f16Table;
}

/**
 * BF16 is the top half of an F32: each code shifted left 16 bits into this reused scratch, read
 * back through a Float32Array view of the same memory and widened to float64 in one `set`.
 * Grown to the largest chunk seen (a chunk's worth of 4-byte words).
 */
let bf16Scratch = new Uint32Array(0);

function decodeBF16Block(words: Uint16Array, count: number, out: Float64Array): void {
  if (bf16Scratch.length < count) {
    bf16Scratch = new Uint32Array(count);
  }
  const wide = bf16Scratch;
  for (let i = 0; i < count; i++) {
    wide[i] = words[i] << 16;
  }
  out.set(new Float32Array(wide.buffer, 0, count));
}

/** `bytes` as a view of `width`-byte words, copied first when its offset is not aligned. */
function aligned(bytes: Uint8Array, width: number): ArrayBuffer {
  if (bytes.byteOffset % width === 0 && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}

/**
 * The first `count` elements of little-endian `bytes` as doubles, into `out` (reused by the
 * caller): BF16 by a 16-bit shift into F32, F16 through a 64 Ki-entry table, F32/F64 through
 * typed views (this machine, like every one ckptscope runs on, is little-endian), any other dtype
 * through core's per-element decoder. Same values as `decodeToFloat64`, several times faster on the weights a diff reads.
 */
export function decodeFloats(
  dtype: Dtype,
  bytes: Uint8Array,
  count: number,
  out: Float64Array,
): void {
  switch (dtype) {
    case 'BF16': {
      const buffer = aligned(bytes, 2);
      const words = new Uint16Array(buffer, buffer === bytes.buffer ? bytes.byteOffset : 0, count);
      decodeBF16Block(words, count, out);
      return;
    }
    case 'F16': {
      const t = f16Values();
      const buffer = aligned(bytes, 2);
      const words = new Uint16Array(buffer, buffer === bytes.buffer ? bytes.byteOffset : 0, count);
      for (let i = 0; i < count; i++) {
        out[i] = t[words[i]];
      }
      return;
    }
    case 'F32': {
      const buffer = aligned(bytes, 4);
      out.set(new Float32Array(buffer, buffer === bytes.buffer ? bytes.byteOffset : 0, count));
      return;
    }
    case 'F64': {
      const buffer = aligned(bytes, 8);
      out.set(new Float64Array(buffer, buffer === bytes.buffer ? bytes.byteOffset : 0, count));
      return;
    }
    default:
      out.set(decodeToFloat64(dtype, bytes, count).subarray(0, count));
  }
}
