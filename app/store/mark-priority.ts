import type { ScanJob } from '../workers-client/scan-pool';
import { ROW_SLICE, yieldToEventLoop } from './build-rows';

/**
 * Flags the rows of `jobs`' scale and small tensors in `marks` (0 -> 1; rows already flagged are
 * left alone), `ROW_SLICE` tensors per task: every zero-size tensor is one, a million lookups in
 * one go held the main thread for seconds. Returns how many rows it flagged, or null when
 * `current()` turned false during a pause (the flags set so far stay).
 */
export async function markPriorityRows(
  jobs: readonly ScanJob[],
  marks: Uint8Array,
  current: () => boolean,
): Promise<number | null> {
  let flagged = 0;
  let sliceLeft = ROW_SLICE;
  for (const job of jobs) {
    if (job.priority !== true) {
      continue;
    }
    for (const at of job.rows) {
      if (sliceLeft === 0) {
        await yieldToEventLoop();
        if (!current()) {
          return null;
        }
        sliceLeft = ROW_SLICE;
      }
      sliceLeft -= 1;
      if (marks[at] === 0) {
        marks[at] = 1;
        flagged += 1;
      }
    }
  }
  return flagged;
}
