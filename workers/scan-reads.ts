import type { TensorInfo } from '../core/format/tensor-info';
import { DEFAULT_CHUNK_BYTES, effectiveChunkBytes } from '../core/scan/scan-tensor';
import type { PlannedRead } from './byob-source';

/**
 * The reads `scanTensors(source, tensors, { chunkBytes })` makes, in order: each tensor in chunks
 * of `effectiveChunkBytes`. Handed to a `ByobSource` as its read-ahead plan; a test checks it
 * against the reads scanTensors really makes.
 */
export function* scanReads(
  tensors: readonly TensorInfo[],
  chunkBytes: number | undefined,
): Generator<PlannedRead> {
  for (const t of tensors) {
    const step = effectiveChunkBytes(t, chunkBytes ?? DEFAULT_CHUNK_BYTES);
    for (let done = 0; done < t.nbytes; done += step) {
      yield { offset: t.offset + done, length: Math.min(step, t.nbytes - done) };
    }
  }
}
