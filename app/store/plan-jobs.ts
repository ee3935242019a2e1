import { appendAll } from '../../core/append-all';
import type { TensorInfo } from '../../core/format/tensor-info';
import { isPriorityTensor } from '../../core/scan/scan-order';
import type { NamedFile } from '../../workers/scan.worker';
import type { ScanJob } from '../workers-client/scan-pool';

/**
 * A job should be big enough that the round trip to a worker is noise, and small enough that the
 * pool stays balanced and results stream in: 64 MiB or 512 tensors, whichever comes first.
 */
const JOB_MAX_BYTES = 64 * 1024 * 1024;
const JOB_MAX_TENSORS = 512;
/**
 * Jobs of scale and small tensors are smaller, so every worker takes part in the first phase
 * (the scale verdict): their reads are small and latency-bound, not bandwidth-bound.
 */
const PRIORITY_JOB_MAX_BYTES = 16 * 1024 * 1024;

export interface PlannedFile {
  readonly fileId: number;
  readonly file: NamedFile;
  readonly tensors: readonly TensorInfo[];
  /** The store's row of each tensor, at the same positions as `tensors`. */
  readonly rows: readonly number[];
}

/**
 * Positions of `tensors` in byte order (stable), or null when they are in byte order already (the
 * usual header): a sort of a million with a comparator each was a main-thread task of its own.
 */
function byteOrder(tensors: readonly TensorInfo[]): number[] | null {
  let sorted = true;
  for (let i = 1; i < tensors.length && sorted; i++) {
    sorted = tensors[i - 1].offset <= tensors[i].offset;
  }
  return sorted
    ? null
    : tensors.map((_, i) => i).sort((a, b) => tensors[a].offset - tensors[b].offset || a - b);
}

/**
 * Orders the work for the pool: every file's scale and small tensors first (so the verdict on the
 * scales comes long before the big weights are read), then the remaining tensors' jobs, largest
 * first. Consecutive tensors of one file, in byte order, are batched into jobs.
 */
export function planJobs(files: readonly PlannedFile[]): ScanJob[] {
  const first: ScanJob[] = [];
  const rest: ScanJob[] = [];
  for (const f of files) {
    const early: number[] = [];
    const late: number[] = [];
    const order = byteOrder(f.tensors);
    for (let k = 0; k < f.tensors.length; k++) {
      const i = order === null ? k : order[k];
      (isPriorityTensor(f.tensors[i]) ? early : late).push(i);
    }
    appendAll(first, batch(f, early, PRIORITY_JOB_MAX_BYTES, true));
    appendAll(rest, batch(f, late, JOB_MAX_BYTES, false));
  }
  return [...first, ...largestFirst(rest)];
}

/**
 * Bulk jobs, largest first (stable: equal sizes keep byte order). Taken in file order, a checkpoint's
 * last tensor (often `lm_head`, a GB in large models) started when the other workers had almost
 * nothing left, and one worker read it alone; started first, it runs beside the small jobs, which
 * then even out the end. Results do not depend on the order.
 */
function largestFirst(jobs: readonly ScanJob[]): ScanJob[] {
  return jobs
    .map((job, index) => ({ job, index }))
    .sort((x, y) => y.job.bytes - x.job.bytes || x.index - y.index)
    .map((e) => e.job);
}

/** Jobs of `f`'s tensors at `positions` (in that order). */
function batch(
  f: PlannedFile,
  positions: readonly number[],
  maxBytes: number,
  priority: boolean,
): ScanJob[] {
  const jobs: ScanJob[] = [];
  /** The job being filled: `positions[first .. k)`, and whether they are consecutive tensors. */
  let first = 0;
  let bytes = 0;
  let consecutive = true;
  const close = (k: number): void => {
    if (k > first) {
      const a = positions[first];
      // A run of consecutive tensors (the usual case) is two slices, not two arrays pushed to.
      const at = consecutive ? null : positions.slice(first, k);
      jobs.push({
        fileId: f.fileId,
        file: f.file,
        tensors: at === null ? f.tensors.slice(a, a + k - first) : at.map((i) => f.tensors[i]),
        rows: at === null ? f.rows.slice(a, a + k - first) : at.map((i) => f.rows[i]),
        bytes,
        priority,
      });
      first = k;
      bytes = 0;
      consecutive = true;
    }
  };
  for (let k = 0; k < positions.length; k++) {
    const nbytes = f.tensors[positions[k]].nbytes;
    if (k > first && (bytes + nbytes > maxBytes || k - first >= JOB_MAX_TENSORS)) {
      close(k);
    }
    consecutive &&= k === first || positions[k] === positions[k - 1] + 1;
    bytes += nbytes;
  }
  close(positions.length);
  return jobs;
}
