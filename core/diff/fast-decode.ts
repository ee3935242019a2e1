import type { Dtype } from '../dtype/dtype';
import { decodeToFloat64 } from '../dtype/decode-value';
import { decodeBF16, decodeF16 } from '../dtype/half';

/** Every 16-bit code's value, built on first use (512 KiB each): one lookup per element. */
let bf16Table: Float64Array | null = null;
let f16Table: Float64Array | null = null;

function table(dtype: 'BF16' | 'F16'): Float64Array {
  if (dtype === 'BF16') {
    bf16Table ??= Float64Array.from({ length: 65536 }, (_, c) => decodeBF16(c));
    return bf16Table;
  }
  f16Table ??= Float64Array.from({ length: 65536 }, (_, c) => decodeF16(c));
  return f16Table;
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
 * caller): BF16/F16 through a 64 Ki-entry table, F32/F64 through typed views (this machine, like
 * every one ckptscope runs on, is little-endian), any other dtype through core's per-element
 * decoder. Same values as `decodeToFloat64`, several times faster on the weights a diff reads.
 */
export function decodeFloats(
  dtype: Dtype,
  bytes: Uint8Array,
  count: number,
  out: Float64Array,
): void {
  switch (dtype) {
    case 'BF16':
    case 'F16': {
      const t = table(dtype);
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
