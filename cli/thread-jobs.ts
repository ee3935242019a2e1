import type { TensorInfo } from '../core/format/tensor-info';
import type { QuantModule } from '../core/quant/quant-types';
import { isPriorityTensor } from '../core/scan/scan-order';

/**
 * A job should be long enough that handing it to a thread is noise (a message, a read-ahead
 * restart) and short enough that threads finish together: 64 MiB or 512 tensors. Tensors are never
 * split across jobs (a kernel's state cannot be merged exactly; see the README).
 */
export const JOB_MAX_BYTES = 64 * 1024 * 1024;
export const JOB_MAX_TENSORS = 512;

/**
 * Module analyses go to the threads in batches of at most this many modules, or of scale tensors
 * summing to JOB_MAX_BYTES: one job (two messages) per module made the threads wait on the main
 * thread's messaging, and a layer of 100,000 experts took 18 s with `--threads 2` against 5 s on
 * one thread.
 */
export const ANALYZE_JOB_MAX_MODULES = 256;

export type PlannedJob =
  /** Tensors `first`, `first + 1`, … of file `file`'s scan order. */
  | {
      readonly kind: 'scan';
      readonly file: number;
      readonly first: number;
      readonly tensors: readonly TensorInfo[];
    }
  /** The analyses of modules `first` … `first + count - 1` (report order), in that order. */
  | { readonly kind: 'analyze'; readonly first: number; readonly count: number };

/**
 * The work of one checkpoint group for the scan threads, in the order threads take it: every
 * file's scales and small tensors (the front of each file's scan order, `orderForScan`), then the
 * quantization analysis of each module (it reads the scales again), then the bulk tensors' jobs,
 * largest first. Each file's scan order is cut into consecutive runs, so results assemble back
 * into that order.
 * `files[i]` is file i's scan order, or null when the file is not scanned.
 */
export function planThreadJobs(
  files: readonly (readonly TensorInfo[] | null)[],
  modules: readonly QuantModule[],
): PlannedJob[] {
  const priority: PlannedJob[] = [];
  const bulk: PlannedJob[] = [];
  files.forEach((tensors, file) => {
    if (tensors === null) {
      return;
    }
    let start = 0;
    let bytes = 0;
    const close = (end: number): void => {
      if (end > start) {
        const job: PlannedJob = {
          kind: 'scan',
          file,
          first: start,
          tensors: tensors.slice(start, end),
        };
        (isPriorityTensor(tensors[start]) ? priority : bulk).push(job);
      }
      start = end;
      bytes = 0;
    };
    tensors.forEach((t, i) => {
      const full = bytes + t.nbytes > JOB_MAX_BYTES || i - start >= JOB_MAX_TENSORS;
      if (i > start && (full || isPriorityTensor(t) !== isPriorityTensor(tensors[start]))) {
        close(i);
      }
      bytes += t.nbytes;
    });
    close(tensors.length);
  });
  const analyses = analyzeJobs(modules);
  // Bulk jobs largest first (stable): the file's last tensor (often a GB-sized lm_head) no longer
  // starts when the other threads are nearly done and runs alone.
  const sizeOf = (job: PlannedJob): number =>
    job.kind === 'scan' ? job.tensors.reduce((n, t) => n + t.nbytes, 0) : 0;
  const ordered = bulk
    .map((job, index) => ({ job, index, bytes: sizeOf(job) }))
    .sort((x, y) => y.bytes - x.bytes || x.index - y.index)
    .map((e) => e.job);
  return priority.concat(analyses, ordered);
}

/** Bytes an analysis reads of a module for sure: every tensor but the weight (read only rarely). */
function scaleBytes(module: QuantModule): number {
  let bytes = 0;
  for (const [role, ref] of Object.entries(module.tensors)) {
    if (role !== 'weight' && ref !== undefined) {
      bytes += ref.info.nbytes;
    }
  }
  return bytes;
}

/** Consecutive modules in batches of ANALYZE_JOB_MAX_MODULES, or fewer past JOB_MAX_BYTES of scales. */
function analyzeJobs(modules: readonly QuantModule[]): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  let first = 0;
  let bytes = 0;
  modules.forEach((module, i) => {
    const own = scaleBytes(module);
    if (i > first && (i - first >= ANALYZE_JOB_MAX_MODULES || bytes + own > JOB_MAX_BYTES)) {
      jobs.push({ kind: 'analyze', first, count: i - first });
      first = i;
      bytes = 0;
    }
    bytes += own;
  });
  if (modules.length > first) {
    jobs.push({ kind: 'analyze', first, count: modules.length - first });
  }
  return jobs;
}
