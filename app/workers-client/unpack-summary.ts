import { headerWithTensors, unpackTensors } from '../../core/format/packed-tensors';
import { LazyByName } from './lazy-by-name';
import type { TensorInfo } from '../../core/format/tensor-info';
import type { CheckpointSummary } from '../../workers/checkpoint-summary';
import type { PackedCheckpointSummary } from '../../workers/packed-summary';

/**
 * Tensors rebuilt per slice before the page gets the main thread back: ~10 ms of object creation
 * on the 2-core VM, so a million-tensor header takes many short tasks instead of one long one
 * (at 50,000 a slice that met a major GC of the fast-growing heap passed 200 ms).
 */
export const UNPACK_SLICE_TENSORS = 25_000;

/** Gives the main thread back (input, paint) before the next slice. */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The summary the worker sent (`packSummary`), with its headers rebuilt slice by slice. */
export async function unpackSummary(
  packed: PackedCheckpointSummary,
  sliceTensors: number = UNPACK_SLICE_TENSORS,
): Promise<CheckpointSummary> {
  const files: CheckpointSummary['files'][number][] = [];
  for (const f of packed.files) {
    if (f.header === null) {
      files.push({ ...f, header: null });
      continue;
    }
    const tensors: TensorInfo[] = [];
    for (let start = 0; start < f.header.packed.count; start += sliceTensors) {
      unpackTensors(f.header.packed, tensors, start, start + sliceTensors);
      if (start + sliceTensors < f.header.packed.count) {
        await yieldToPage();
      }
    }
    // `byName` is built only if something asks for it (lazy-by-name.ts).
    const byName = new LazyByName(f.header, tensors);
    files.push({ ...f, header: { ...headerWithTensors(f.header, tensors, new Map()), byName } });
  }
  return { ...packed, files };
}
