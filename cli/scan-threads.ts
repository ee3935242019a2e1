import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CheckpointError } from '../core/format/errors';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import type { QuantModule } from '../core/quant/quant-types';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FromThread, PlainCheckpointError, ToThread } from './thread-protocol';
import { locationsOf } from './node-file-source';

/**
 * Default cap on scan threads. Every file read of every thread goes through libuv's shared pool
 * of 4 I/O threads, and each scan thread keeps one read in flight; more threads than that only
 * queue reads (and add a chunk buffer and a V8 heap each). `--threads N` overrides it.
 */
export const MAX_DEFAULT_THREADS = 4;

/** Threads for a scan when `--threads` is not given: one per core, at most MAX_DEFAULT_THREADS. */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_THREADS));
}

/**
 * The thread entry bundled beside the CLI (dist/cli/scan-thread.mjs); null when the CLI runs from
 * source (tsx, tests importing cli/), where scans stay in-process.
 */
export function threadEntryUrl(): URL | null {
  const url = new URL('./scan-thread.mjs', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/** A scan job: tensors of one file, scanned in order by one thread. */
export interface ScanJob {
  readonly kind: 'scan';
  readonly path: string;
  readonly tensors: readonly TensorInfo[];
  readonly chunkBytes: number | undefined;
  /** Every tensor gets a histogram (else only 1-byte scale and small ones: ScanRunOptions.histograms). */
  readonly allHistograms: boolean;
  /** Stats of the job's tensors `first`, `first + 1`, …, as they arrive. */
  readonly onTensors: (first: number, stats: readonly TensorStats[]) => void;
  /** Tensor bytes scanned since the last call. */
  readonly onProgress: (bytes: number) => void;
}

/** Quantization analyses of some modules (their scales; a weight only under zero scales). */
export interface AnalyzeJob {
  readonly kind: 'analyze';
  readonly paths: readonly string[];
  readonly modules: readonly QuantModule[];
  readonly chunkBytes: number | undefined;
  /** Asked when the job starts: byte histograms of the modules' scales scanned by then. */
  readonly knownCodes?: () => readonly KnownCodeEntry[];
}

export type ThreadJob = ScanJob | AnalyzeJob;

/** One module's analysis, or the CheckpointError that stopped it (the others go on). */
export type AnalysisOutcome =
  | { readonly analysis: ModuleAnalysis; readonly error?: undefined }
  | { readonly analysis?: undefined; readonly error: CheckpointError };

export type JobOutcome =
  /** `analyses`: one per module of an analyze job, in its order; empty for a scan job. */
  | { readonly status: 'done'; readonly analyses: readonly AnalysisOutcome[] }
  /** Stopped at the job's tensor `index` (0 for an analysis). */
  | { readonly status: 'failed'; readonly index: number; readonly error: CheckpointError }
  | { readonly status: 'skipped' };

interface Running {
  readonly job: ThreadJob | null;
  readonly settle: (outcome: JobOutcome) => void;
  outcome: JobOutcome;
}

function fromPlain(e: PlainCheckpointError): CheckpointError {
  return new CheckpointError(e.code, e.file, e.detail, e.tensor);
}

/**
 * A fixed set of worker threads running `scan-thread.mjs`. `run` hands jobs out in the order
 * given (scales first, as the caller orders them), each to whichever thread is free; results come
 * back per job, so what the caller assembles does not depend on the number of threads.
 */
export class ScanThreadPool {
  private readonly threads: Worker[];
  private readonly running = new Map<number, Running>();
  private nextId = 0;
  /** A thread that died or a job that crashed: rethrown from `run` (a bug, not bad input). */
  private crash: Error | null = null;

  constructor(size: number, entry: URL) {
    this.threads = Array.from({ length: size }, () => {
      const worker = new Worker(entry, { name: 'ckptscope-scan' });
      worker.on('message', (m: FromThread) => this.receive(m));
      worker.on('error', (e: Error) => this.die(e));
      worker.on('exit', (code) => {
        if (this.threads.length > 0) {
          this.die(new Error(`a scan thread exited (code ${code})`));
        }
      });
      return worker;
    });
  }

  get size(): number {
    return this.threads.length;
  }

  private die(e: Error): void {
    this.crash ??= e;
    for (const r of this.running.values()) {
      r.settle({ status: 'skipped' });
    }
    this.running.clear();
  }

  private receive(m: FromThread): void {
    const r = this.running.get(m.job);
    if (r === undefined) {
      return;
    }
    switch (m.type) {
      case 'tensors':
        if (r.job?.kind === 'scan') {
          r.job.onTensors(m.first, m.stats);
        }
        break;
      case 'progress':
        if (r.job?.kind === 'scan') {
          r.job.onProgress(m.bytes);
        }
        break;
      case 'analyses':
        r.outcome = {
          status: 'done',
          analyses: m.results.map((x): AnalysisOutcome =>
            x.error === undefined ? { analysis: x.analysis } : { error: fromPlain(x.error) },
          ),
        };
        break;
      case 'failed':
        r.outcome = {
          status: 'failed',
          index: m.index,
          error: fromPlain(m.error),
        };
        break;
      case 'crashed':
        this.crash ??= new Error(m.message);
        break;
      case 'done':
        this.running.delete(m.job);
        r.settle(r.outcome);
        break;
    }
  }

  /** Sends one message to `thread` and resolves when the thread says the job is done. */
  private send(thread: Worker, job: ThreadJob | null, message: ToThread): Promise<JobOutcome> {
    return new Promise((settle) => {
      if (this.crash !== null) {
        settle({ status: 'skipped' });
        return;
      }
      this.running.set(message.job, { job, settle, outcome: { status: 'done', analyses: [] } });
      thread.postMessage(message);
    });
  }

  private message(job: ThreadJob): ToThread {
    const id = this.nextId++;
    return job.kind === 'scan'
      ? {
          type: 'scan',
          job: id,
          path: job.path,
          locations: locationsOf([job.path]),
          tensors: job.tensors,
          chunkBytes: job.chunkBytes,
          allHistograms: job.allHistograms,
        }
      : {
          type: 'analyze',
          job: id,
          paths: job.paths,
          locations: locationsOf(job.paths),
          modules: job.modules,
          chunkBytes: job.chunkBytes,
          known: job.knownCodes?.() ?? [],
        };
  }

  /**
   * Runs every job; `skip(i)` is asked just before job `i` would start (a scan that already failed
   * earlier in its file). Resolves with one outcome per job, in job order; rejects when a thread
   * crashed.
   */
  async run(
    jobs: readonly ThreadJob[],
    skip: (index: number) => boolean = () => false,
  ): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = jobs.map(() => ({ status: 'skipped' }));
    let next = 0;
    const drive = async (thread: Worker): Promise<void> => {
      while (next < jobs.length && this.crash === null) {
        const index = next++;
        const job = jobs[index];
        if (!skip(index)) {
          outcomes[index] = await this.send(thread, job, this.message(job));
        }
      }
    };
    await Promise.all(this.threads.map(drive));
    if (this.crash !== null) {
      throw this.crash;
    }
    return outcomes;
  }

  /** Closes every file the threads hold open (call at the end of each checkpoint group). */
  async release(): Promise<void> {
    await Promise.all(
      this.threads.map((t) => this.send(t, null, { type: 'release', job: this.nextId++ })),
    );
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
