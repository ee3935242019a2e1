import type { CheckpointSummary } from '../../workers/checkpoint-summary';
import type { TensorRow } from '../model/tensor-row';
import { tensorKey } from '../model/tensor-row';
import type { RowTally } from './row-tally';

/**
 * Rows are built this many at a time, then the page gets the event loop back: a million rows built
 * in one go was a task of seconds (issue 11: no main-thread task over 200 ms). About 5-15 ms each;
 * at 25,000 a slice, major GCs of the fast-growing heap landed in these tasks (150-340 ms under
 * load), fewer with shorter slices and more pauses between them (the 1M bench's profiles).
 */
export const ROW_SLICE = 10_000;

/** Lets other tasks (input, paint, worker messages) run before the next slice. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Appends a row per header tensor of every file of `summary` to `rows` (file by file, in header
 * order: file `id`'s tensor `i` is row `firstRows[id] + i`) and counts each in `tally`, `ROW_SLICE`
 * rows per task. Stops and returns false as soon as
 * `current()` is false after a pause (another checkpoint was loaded, or the scan was cancelled).
 */
export async function buildHeaderRows(
  files: CheckpointSummary['files'],
  tally: RowTally,
  rows: TensorRow[],
  current: () => boolean,
): Promise<boolean> {
  let sliceLeft = ROW_SLICE;
  for (let id = 0; id < files.length; id++) {
    const f = files[id];
    const tensors = f?.header?.tensors;
    if (f === undefined || tensors === undefined) {
      continue;
    }
    for (const info of tensors) {
      if (sliceLeft === 0) {
        await yieldToEventLoop();
        if (!current()) {
          return false;
        }
        sliceLeft = ROW_SLICE;
      }
      sliceLeft -= 1;
      const row: TensorRow = {
        key: tensorKey(id, info.name),
        fileId: id,
        fileName: f.name,
        info,
        stats: null,
      };
      tally.add(rows.length, row);
      rows.push(row);
    }
  }
  return true;
}
