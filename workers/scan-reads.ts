import type { TensorInfo } from '../core/format/tensor-info';
import type { ReadGroup } from '../core/scan/read-groups';
import { chunkReads } from '../core/scan/read-groups';
import { DEFAULT_CHUNK_BYTES, effectiveChunkBytes } from '../core/scan/scan-tensor';
import type { PlannedRead } from './byob-source';

/**
 * The reads `scanTensors(source, tensors, { chunkBytes })` makes, in order: each large tensor in
 * chunks of `effectiveChunkBytes`, back-to-back small tensors together (core/scan/read-groups.ts).
 * Handed to a `ByobSource` as its read-ahead plan; a test checks it against the reads scanTensors
 * really makes.
 */
export function* scanReads(
  tensors: readonly TensorInfo[],
  chunkBytes: number | undefined,
): Generator<PlannedRead> {
  const sizes = tensors.map((t) => effectiveChunkBytes(t, chunkBytes ?? DEFAULT_CHUNK_BYTES));
  let last: ReadGroup | null = null;
  for (const r of chunkReads(tensors, sizes)) {
    if (r.group !== last) {
      last = r.group;
      yield { offset: r.group.offset, length: r.group.length };
    }
  }
}
