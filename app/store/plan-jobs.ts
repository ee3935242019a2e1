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
 * first. Consecutive tensors of one file, in byte order, are batched into jobs as they are met:
 * no list of every tensor's position (a million, pushed one by one, made this a main-thread task
 * of up to ~180 ms).
 */
export function planJobs(files: readonly PlannedFile[]): ScanJob[] {
  const first: ScanJob[] = [];
  const rest: ScanJob[] = [];
  for (const f of files) {
    const early = new JobBatcher(f, PRIORITY_JOB_MAX_BYTES, true, first);
    const late = new JobBatcher(f, JOB_MAX_BYTES, false, rest);
    const order = byteOrder(f.tensors);
    for (let k = 0; k < f.tensors.length; k++) {
      const i = order === null ? k : order[k];
      (isPriorityTensor(f.tensors[i]) ? early : late).add(i);
    }
    early.close();
    late.close();
  }
  return first.concat(largestFirst(rest));
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

/**
 * Jobs of one file's tensors, added position by position (in the order they are to be read):
 * a job closes before a tensor that would take it past `maxBytes` or JOB_MAX_TENSORS.
 */
class JobBatcher {
  /** Position of the job's first tensor, or -1 when the job is empty. */
  private start = -1;
  /** Position of the tensor added last. */
  private last = -1;
  private count = 0;
  private bytes = 0;
  /** The job's positions once they stop being consecutive (the usual run is two slices). */
  private positions: number[] | null = null;

  constructor(
    private readonly f: PlannedFile,
    private readonly maxBytes: number,
    private readonly priority: boolean,
    private readonly jobs: ScanJob[],
  ) {}

  add(i: number): void {
    const nbytes = this.f.tensors[i].nbytes;
    if (this.count > 0 && (this.bytes + nbytes > this.maxBytes || this.count >= JOB_MAX_TENSORS)) {
      this.close();
    }
    if (this.count === 0) {
      this.start = i;
    } else if (this.positions !== null) {
      this.positions.push(i);
    } else if (i !== this.last + 1) {
      this.positions = [];
      for (let p = this.start; p <= this.last; p++) {
        this.positions.push(p);
      }
      this.positions.push(i);
    }
    this.last = i;
    this.count += 1;
    this.bytes += nbytes;
  }

  /** Ends the job being filled, if any. */
  close(): void {
    if (this.count === 0) {
      return;
    }
    const { f, positions, start } = this;
    this.jobs.push({
      fileId: f.fileId,
      file: f.file,
      tensors:
        positions === null
          ? f.tensors.slice(start, start + this.count)
          : positions.map((i) => f.tensors[i]),
      rows:
        positions === null
          ? f.rows.slice(start, start + this.count)
          : positions.map((i) => f.rows[i]),
      bytes: this.bytes,
      priority: this.priority,
    });
    this.start = -1;
    this.last = -1;
    this.count = 0;
    this.bytes = 0;
    this.positions = null;
  }
}
