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
    for (let k = 0; k < n; k++) {
      if (x[k] !== y[k]) {
        return false;
      }
    }
  }
  return true;
}
