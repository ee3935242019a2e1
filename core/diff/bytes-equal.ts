import type { TensorRef } from '../quant/quant-types';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { readTensorBytes, sourceFor, throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import { sameShape } from '../quant/shape-util';

/**
 * Whether two tensors hold the same dtype, shape and bytes, compared chunk by chunk (stops at the
 * first difference; memory: one chunk per side).
 */
export async function tensorBytesEqual(
  a: TensorRef,
  aSources: SourceMap,
  b: TensorRef,
  bSources: SourceMap,
  options: StreamOptions,
): Promise<boolean> {
  if (a.info.dtype !== b.info.dtype || !sameShape(a.info.shape, b.info.shape)) {
    return false;
  }
  if (a.info.nbytes !== b.info.nbytes) {
    return false;
  }
  const sa = sourceFor(aSources, a.file, a.info.name);
  const sb = sourceFor(bSources, b.file, b.info.name);
  const chunk = Math.max(1, Math.floor(chunkBytesOf(options)));
  for (let at = 0; at < a.info.nbytes; at += chunk) {
    throwIfCancelled(options, sa.name, a.info.name);
    const n = Math.min(chunk, a.info.nbytes - at);
    const [x, y] = await Promise.all([
      readTensorBytes(sa, a.info, at, n),
      readTensorBytes(sb, b.info, at, n),
    ]);
    if (!sameBytes(x, y, n)) {
      return false;
    }
  }
  return true;
}

/** Bytes compared four at a time where both arrays start on a 4-byte boundary (the usual case). */
const WORD = 4;

/** Whether the first `n` bytes of `x` and `y` are equal. */
export function sameBytes(x: Uint8Array, y: Uint8Array, n: number): boolean {
  let k = 0;
  if (x.byteOffset % WORD === 0 && y.byteOffset % WORD === 0) {
    const words = Math.floor(n / WORD);
    const xw = new Int32Array(x.buffer, x.byteOffset, words);
    const yw = new Int32Array(y.buffer, y.byteOffset, words);
    for (let i = 0; i < words; i++) {
      if (xw[i] !== yw[i]) {
        return false;
      }
    }
    k = words * WORD;
  }
  for (; k < n; k++) {
    if (x[k] !== y[k]) {
      return false;
    }
  }
  return true;
}
