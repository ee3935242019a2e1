import { appendAll } from '../core/append-all';
import type { CheckpointError } from '../core/format/errors';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ByteSource } from '../core/io/byte-source';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import {
  knownCodeEntry,
  KnownCodeTable,
  moduleCodeEntries,
} from '../core/quant/analyze/known-codes';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import type { SchemeReport } from '../core/quant/recognize-scheme';
import { isPriorityTensor } from '../core/scan/scan-order';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { NodeFileSource } from './node-file-source';
import type { Progress } from './progress';
import { ANALYSIS_CHUNK_BYTES, CLI_CHUNK_BYTES } from './scan-file';
import type { FileScan, FileScanOptions } from './scan-file';
import { defaultThreadCount, ScanThreadPool, threadEntryUrl } from './scan-threads';
import type { JobOutcome, ThreadJob } from './scan-threads';
import { planThreadJobs } from './thread-jobs';

/*
 * A checkpoint group's scan on worker threads (`--threads`, or by default for large groups): the
 * pool's lifetime over a run, and the group's jobs assembled into what the in-process scan gives.
 */

/**
 * Without `--threads`, groups with less tensor data than this are scanned in-process: starting
 * threads (~30 ms each) costs more than it saves on small files.
 */
export const THREADS_MIN_BYTES = 256 * 1024 * 1024;

/** The worker threads of a run: started on first use (a big enough group), closed at the end. */
export class Threads {
  private pool: ScanThreadPool | null = null;
  private readonly wanted: number;
  private readonly explicit: boolean;

  constructor(threads: number | undefined) {
    this.explicit = threads !== undefined;
    this.wanted = threads ?? defaultThreadCount();
  }

  /** The pool for a group of `bytes` tensor bytes, or null to scan it in-process. */
  for(bytes: number): ScanThreadPool | null {
    if (this.wanted <= 1 || (!this.explicit && bytes < THREADS_MIN_BYTES)) {
      return null;
    }
    const entry = threadEntryUrl();
    if (entry === null) {
      return null;
    }
    this.pool ??= new ScanThreadPool(this.wanted, entry);
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/** Module analyses in report order, and the errors of those that failed (also in order). */
export interface Analyses {
  readonly analyses: ModuleAnalysis[];
  readonly errors: CheckpointError[];
}

/** A valid file of a group and its tensors in scan order. */
export interface ScannableFile {
  readonly source: ByteSource;
  readonly tensors: readonly TensorInfo[];
}

/** The file scans (null for files that were not scanned) and the module analyses of a group. */
export interface GroupScan {
  readonly scans: (FileScan | null)[];
  readonly analyses: Analyses;
}

/**
 * The same work as `scanInProcess`, as jobs on the pool's threads (see `planThreadJobs`: scales
 * and small tensors first, then the module analyses, then the bulk), assembled into exactly what
 * `scanInProcess` returns: each file's stats in scan order up to its first failing tensor.
 */
export async function scanOnThreads(
  pool: ScanThreadPool,
  sources: readonly NodeFileSource[],
  scannable: readonly (ScannableFile | null)[],
  report: SchemeReport,
  options: FileScanOptions,
  progress: Progress | undefined,
): Promise<GroupScan> {
  const chunkBytes = options.chunkBytes ?? CLI_CHUNK_BYTES;
  const results = scannable.map((f) =>
    f === null ? [] : new Array<TensorStats>(f.tensors.length),
  );
  /** Per file, the scan-order index of the first tensor known to fail. */
  const failedAt = scannable.map(() => Number.POSITIVE_INFINITY);
  // Byte histograms of the scale tensors as their scans come back, for the module analyses that
  // start after them (an analysis that starts first reads the scales itself: same result).
  const known = new KnownCodeTable();
  const plan = planThreadJobs(
    scannable.map((f) => f?.tensors ?? null),
    report.modules,
  );
  const jobs: ThreadJob[] = plan.map((p) =>
    p.kind === 'scan'
      ? {
          kind: 'scan',
          path: scannable[p.file]?.source.name ?? '',
          tensors: p.tensors,
          chunkBytes,
          allHistograms: options.histograms === true,
          onTensors: (first, stats) => {
            stats.forEach((s, k) => {
              results[p.file][p.first + first + k] = s;
              const entry = isPriorityTensor(p.tensors[first + k])
                ? knownCodeEntry(scannable[p.file]?.source.name ?? '', s)
                : null;
              if (entry !== null) {
                known.add(entry);
              }
            });
          },
          onProgress: (bytes) => progress?.advance(bytes),
        }
      : {
          kind: 'analyze',
          paths: sources.map((s) => s.name),
          modules: report.modules.slice(p.first, p.first + p.count),
          chunkBytes: options.chunkBytes ?? ANALYSIS_CHUNK_BYTES,
          knownCodes: () => {
            const entries: KnownCodeEntry[] = [];
            for (let m = p.first; m < p.first + p.count; m++) {
              appendAll(entries, moduleCodeEntries(report.modules[m], known.lookup));
            }
            return entries;
          },
        },
  );
  const outcomes: JobOutcome[] = await pool.run(
    jobs,
    (i) => plan[i].kind === 'scan' && plan[i].first > failedAt[plan[i].file],
  );
  await pool.release();
  const fileErrors = scannable.map((): CheckpointError | null => null);
  const analyses: Analyses = { analyses: [], errors: [] };
  plan.forEach((p, i) => {
    const outcome = outcomes[i];
    if (p.kind === 'scan') {
      if (outcome.status === 'failed' && p.first + outcome.index < failedAt[p.file]) {
        failedAt[p.file] = p.first + outcome.index;
        fileErrors[p.file] = outcome.error;
      }
    } else if (outcome.status === 'failed') {
      analyses.errors.push(outcome.error);
    } else if (outcome.status === 'done') {
      for (const result of outcome.analyses) {
        if (result.error === undefined) {
          analyses.analyses.push(result.analysis);
        } else {
          analyses.errors.push(result.error);
        }
      }
    }
  });
  const scans = scannable.map((file, f): FileScan | null => {
    if (file === null) {
      return null;
    }
    const { tensors } = file;
    const stats = new Map<string, TensorStats>();
    const end = Math.min(tensors.length, failedAt[f]);
    for (let i = 0; i < end; i++) {
      stats.set(tensors[i].name, results[f][i]);
    }
    return { stats, error: fileErrors[f] };
  });
  return { scans, analyses };
}
