import { createGridBuilder } from '../../../core/layout/group-grid';
import type { LayerGrid } from '../../../core/layout/layer-grid';
import type { TensorRow } from '../../model/tensor-row';
import { parseLayerKey } from '../../../core/layout/layer-key';

/**
 * Main-thread time one slice of the grouping may take before it yields: a million names take
 * about 2.5 s to parse and group, far past the 200 ms a page task may last (issue 11).
 */
export const GROUP_SLICE_MS = 40;
/** Rows between clock reads inside a slice (reading the clock per row costs more than the row). */
const CLOCK_EVERY_ROWS = 1024;

/** Yields to the event loop (input, rendering, worker messages) between slices. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The same grid as groupRows(rows), built in slices of at most about GROUP_SLICE_MS each; null
 * when `cancelled()` turns true (the rows were replaced by another checkpoint's).
 */
export async function groupRowsInSlices(
  rows: readonly TensorRow[],
  cancelled: () => boolean,
  now: () => number = () => performance.now(),
  yieldTask: () => Promise<void> = nextTask,
): Promise<LayerGrid<number> | null> {
  const builder = createGridBuilder<number>();
  let index = 0;
  while (index < rows.length) {
    const start = now();
    while (index < rows.length) {
      // Parsed here, not through layerKeyOf's cache: the grid keeps each key, and a WeakMap of a
      // million entries grew (rehashed) within a slice and weighed on every garbage collection.
      builder.add(index, parseLayerKey(rows[index].info.name));
      index += 1;
      if (index % CLOCK_EVERY_ROWS === 0 && now() - start >= GROUP_SLICE_MS) {
        break;
      }
    }
    if (index < rows.length) {
      await yieldTask();
      if (cancelled()) {
        return null;
      }
    }
  }
  return builder.finish();
}
