import { appendAll } from '../core/append-all';
import { openCheckpoint } from '../core/format/open-checkpoint';
import type { Checkpoint } from '../core/format/open-checkpoint';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { classifySource } from '../core/format/classify-source';
import { histogramTensors, isPriorityTensor, orderForScan } from '../core/scan/scan-order';
import { scanTensors } from '../core/scan/scan-tensor';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult } from '../core/report/json-report';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ByteSource } from '../core/io/byte-source';
import { withKnownBytes } from '../core/io/known-bytes-source';
import type { KnownBytes } from '../core/io/known-bytes-source';
import type { AnalyzeOptions, KnownTensorBytes } from '../core/quant/analyze/analyze-module';
import { analyzeKnownModule, analyzeModule } from '../core/quant/analyze/analyze-module';
import { knownTensorBytes } from './known-tensor-bytes';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import {
  knownCodeEntry,
  knownCodesOf,
  KnownCodeTable,
  moduleCodeEntries,
} from '../core/quant/analyze/known-codes';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import type { KnownCodes } from '../core/quant/analyze/summarize-scale';
import { lintCheckpoint } from '../core/quant/lint/lint-checkpoint';
import { scanExitStatus } from '../core/report/exit-status';
import type { Finding } from '../core/quant/quant-types';
import { recognizeScheme } from '../core/quant/recognize-scheme';
import type { SchemeReport } from '../core/quant/recognize-scheme';
import { sourceMap } from '../core/quant/stream/read-exact';
import { collectInputs } from './collect-inputs';
import type { InputGroup } from './collect-inputs';
import { openNodeFileSource } from './node-file-source';
import type { NodeFileSource } from './node-file-source';
import { createProgress } from './progress';
import type { Progress } from './progress';
import { defaultThreadCount, ScanThreadPool, threadEntryUrl } from './scan-threads';
import type { JobOutcome, ThreadJob } from './scan-threads';
import { planThreadJobs } from './thread-jobs';
import { decodeTensors, decodingsByFile, roleDecodings } from '../core/scan/role-decode';
import { runVerdict } from './scan-verdict';
import type { Verdict } from '../core/report/verdict';

export interface ScanRun {
  readonly files: FileResult[];
  readonly errors: CheckpointError[];
  readonly usageProblems: string[];
  readonly elapsedSeconds: number;
  /** Quantization lint findings of every checkpoint group. */
  readonly findings: Finding[];
  /** Warnings that do not make a checkpoint invalid (an index's `total_size`), as the app shows them. */
  readonly warnings?: string[];
}

export interface ScanRunOptions {
  readonly chunkBytes?: number;
  readonly showProgress: boolean;
  /**
   * Every tensor's histogram is wanted (`--json --histograms`). Otherwise only the 1-byte scale and
   * small tensors keep one (the module analyses reuse their byte histograms), and U8 / I8 weights are
   * scanned by the faster histogram-free kernels: the same figures, no histogram to print.
   */
  readonly histograms?: boolean;
  /**
   * Worker threads for the scan (`--threads`): 1 scans in-process, as before threads existed.
   * Unset: defaultThreadCount(), used for checkpoint groups of at least THREADS_MIN_BYTES.
   * Results are the same whatever the number.
   */
  readonly threads?: number;
}

/**
 * Chunk size of the CLI when `--chunk-bytes` is not given. Measured by `npm run bench` (its chunk
 * sweep): 8 MiB, as core's DEFAULT_CHUNK_BYTES, which core's WASM kernels also size their
 * in-place read buffers for.
 */
export const CLI_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Chunk size of the quantization analysis when `--chunk-bytes` is not given. It decodes each chunk
 * of scales into a Float64Array (8 bytes per FP8 byte): at core's 8 MiB that is 64 MiB of garbage
 * per read and per thread. Measured on the bench file with 2 threads: peak RSS ~390 MB at 8 MiB,
 * ~345 MB at 1 MiB, ~250–290 MB at 128 KiB, at the same speed (the analysis is CPU-bound).
 */
export const ANALYSIS_CHUNK_BYTES = 128 * 1024;

/**
 * Without `--threads`, groups with less tensor data than this are scanned in-process: starting
 * threads (~30 ms each) costs more than it saves on small files.
 */
export const THREADS_MIN_BYTES = 256 * 1024 * 1024;

/** Exit statuses of `scan`: a public contract (`core/report/exit-status.ts` decides). */
export { EXIT_CLEAN, EXIT_INVALID } from '../core/report/exit-status';
/** 1: NaN/Inf or any error-severity finding. */
export { EXIT_FAILED as EXIT_NAN_FOUND } from '../core/report/exit-status';

export async function runScan(paths: readonly string[], options: ScanRunOptions): Promise<ScanRun> {
  const started = performance.now();
  const { groups, problems, errors: unreadable } = await collectInputs(paths);
  const files: FileResult[] = [];
  // Paths that exist but cannot be read (an unreadable folder, a FIFO, a dangling link) are errors.
  const errors: CheckpointError[] = unreadable;
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const threads = new Threads(options.threads);
  try {
    for (const group of groups) {
      await scanGroup(group, options, threads, files, errors, findings, warnings);
    }
  } finally {
    await threads.close();
  }
  return {
    files,
    errors,
    findings,
    warnings,
    usageProblems: problems.map((p) => p.message),
    elapsedSeconds: (performance.now() - started) / 1000,
  };
}

async function openAll(group: InputGroup, errors: CheckpointError[]): Promise<NodeFileSource[]> {
  const sources: NodeFileSource[] = [];
  for (const f of group.files) {
    try {
      sources.push(await openNodeFileSource(f.location, f.path));
    } catch (e) {
      errors.push(
        new CheckpointError('ReadFailed', f.path, `cannot open: ${(e as Error).message}`),
      );
    }
  }
  return sources;
}

/** The worker threads of a run: started on first use (a big enough group), closed at the end. */
class Threads {
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

/** One file's scan: stats of the tensors scanned, and the error that stopped it, if any. */
export interface FileScan {
  readonly stats: Map<string, TensorStats>;
  readonly error: CheckpointError | null;
}

/** Module analyses in report order, and the errors of those that failed (also in order). */
interface Analyses {
  readonly analyses: ModuleAnalysis[];
  readonly errors: CheckpointError[];
}

async function scanGroup(
  group: InputGroup,
  options: ScanRunOptions,
  threads: Threads,
  files: FileResult[],
  errors: CheckpointError[],
  findings: Finding[],
  warnings: string[],
): Promise<void> {
  const sources = await openAll(group, errors);
  // Start the threads (when the group will want them) before parsing headers: their start-up
  // (~50 ms of module load and WASM compile) overlaps the parse instead of following it.
  threads.for(sources.reduce((n, s) => n + s.size, 0));
  try {
    // Shards that failed at collection or opening (ReadFailed, already reported) are present but
    // unreadable for the index check, not "not among the files".
    const unreadable = errors.filter((e) => e.code === 'ReadFailed').map((e) => e.file);
    const checkpoint = await openCheckpoint(sources, { unreadable });
    appendAll(errors, checkpoint.indexErrors);
    appendAll(errors, checkpoint.configErrors);
    appendAll(warnings, checkpoint.indexWarnings);
    const report = recognize(checkpoint, sources);
    // Tensors whose role decodes their U8 bytes (E8M0 / E4M3 scales, packed FP4) are scanned as such.
    const roles = decodingsByFile(roleDecodings(report));
    const schemes = new Map(report.files.map((f) => [f.file, f]));
    const total = checkpoint.files.reduce(
      (n, f) => n + (f.header ? f.header.tensors.reduce((m, t) => m + t.nbytes, 0) : 0),
      0,
    );
    const progress = options.showProgress ? createProgress(total) : undefined;
    const scannable = checkpoint.files.map((entry): ScannableFile | null =>
      entry.error === null && entry.header !== null
        ? {
            source: entry.source,
            tensors: orderForScan(
              decodeTensors(entry.header.tensors, roles.get(entry.header.fileName)),
            ),
          }
        : null,
    );
    const pool = threads.for(total);
    const { scans, analyses } =
      pool === null
        ? await scanInProcess(sources, scannable, report, options, progress)
        : await scanOnThreads(pool, sources, scannable, report, options, progress);
    const statsByFile = new Map<string, ReadonlyMap<string, TensorStats>>();
    checkpoint.files.forEach((entry, i) => {
      const scan = scans[i];
      if (entry.error !== null || entry.header === null || scan === null) {
        if (entry.error !== null) {
          errors.push(entry.error);
        }
        files.push({
          path: entry.source.name,
          size: entry.source.size,
          header: null,
          stats: new Map(),
        });
        return;
      }
      if (scan.error !== null) {
        errors.push(scan.error);
      }
      statsByFile.set(entry.source.name, scan.stats);
      files.push({
        path: entry.source.name,
        size: entry.source.size,
        header: entry.header,
        stats: scan.stats,
        quant: schemes.get(entry.source.name),
      });
    });
    progress?.done();
    appendAll(errors, analyses.errors);
    appendAll(
      findings,
      lintCheckpoint(report, analyses.analyses, statsByFile, {
        config: checkpoint.config,
        headers: checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header])),
      }),
    );
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}

/** A valid file of a group and its tensors in scan order. */
interface ScannableFile {
  readonly source: ByteSource;
  readonly tensors: readonly TensorInfo[];
}

/** The file scans (null for files that were not scanned) and the module analyses of a group. */
interface GroupScan {
  readonly scans: (FileScan | null)[];
  readonly analyses: Analyses;
}

/** `--threads 1`: every file in turn, then every module, on this thread. */
async function scanInProcess(
  sources: readonly NodeFileSource[],
  scannable: readonly (ScannableFile | null)[],
  report: SchemeReport,
  options: ScanRunOptions,
  progress: Progress | undefined,
): Promise<GroupScan> {
  // Every file's scales and small tensors before any file's bulk, as the threads do: the verdict on
  // the scales of the last shard does not wait for the weights of the first.
  const scans: (FileScan | null)[] = [];
  // Bytes of the tiny tensors (scalar global and input scales...) the scan reads, per file: the
  // analyses then read them from memory, not once more per module (100,000 experts made ~500,000
  // reads of a few bytes, each a round trip through libuv's thread pool).
  const tiny = new Map<string, KnownBytes[]>();
  for (const file of scannable) {
    const known: KnownBytes[] = [];
    if (file !== null) {
      tiny.set(file.source.name, known);
    }
    scans.push(
      file === null
        ? null
        : await scanFile(
            file.source,
            file.tensors.filter(isPriorityTensor),
            options,
            progress,
            known,
          ),
    );
  }
  for (const [i, file] of scannable.entries()) {
    const first = scans[i];
    if (file !== null && first !== null && first.error === null) {
      const bulk = file.tensors.filter((t) => !isPriorityTensor(t));
      const rest = await scanFile(file.source, bulk, options, progress, tiny.get(file.source.name));
      for (const [name, stats] of rest.stats) {
        first.stats.set(name, stats);
      }
      scans[i] = { stats: first.stats, error: rest.error };
    }
  }
  const known: KnownCodeEntry[] = [];
  scannable.forEach((file, i) => {
    for (const stats of scans[i]?.stats.values() ?? []) {
      const entry = file === null ? null : knownCodeEntry(file.source.name, stats);
      if (entry !== null) {
        known.push(entry);
      }
    }
  });
  const analysed = sources.map((s) => withKnownBytes(s, tiny.get(s.name) ?? []));
  return {
    scans,
    analyses: await analyzeAll(
      report,
      analysed,
      options,
      knownCodesOf(known),
      knownTensorBytes(tiny),
    ),
  };
}

/**
 * The same work as `scanInProcess`, as jobs on the pool's threads (see `planThreadJobs`: scales
 * and small tensors first, then the module analyses, then the bulk), assembled into exactly what
 * `scanInProcess` returns: each file's stats in scan order up to its first failing tensor.
 */
async function scanOnThreads(
  pool: ScanThreadPool,
  sources: readonly NodeFileSource[],
  scannable: readonly (ScannableFile | null)[],
  report: SchemeReport,
  options: ScanRunOptions,
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

/** Recognises the group's quantization scheme from its valid headers and configs. */
function recognize(checkpoint: Checkpoint, sources: readonly NodeFileSource[]): SchemeReport {
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const named = (role: 'config' | 'hfQuantConfig'): string | null =>
    sources.find((s) => classifySource(s.name) === role)?.name ?? null;
  return recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig, {
    configFile: named('config'),
    hfQuantConfigFile: named('hfQuantConfig'),
  });
}

/**
 * Analyses every quantized module: its scales always (small), its weight only when a block scale
 * is zero (to tell silently zeroed blocks); a failed read is reported and the rest go on.
 */
async function analyzeAll(
  report: SchemeReport,
  sources: readonly ByteSource[],
  options: ScanRunOptions,
  knownCodes: KnownCodes,
  /** The bytes the scan read of tiny tensors: a module needing no others is analysed without a read. */
  knownBytes?: KnownTensorBytes,
): Promise<Analyses> {
  const byName = sourceMap(sources);
  const analyses: ModuleAnalysis[] = [];
  const errors: CheckpointError[] = [];
  const analyzeOptions: AnalyzeOptions = {
    chunkBytes: options.chunkBytes ?? ANALYSIS_CHUNK_BYTES,
    weights: 'if-zero-scales',
    knownCodes,
  };
  for (const module of report.modules) {
    try {
      analyses.push(
        (knownBytes === undefined
          ? undefined
          : analyzeKnownModule(module, knownBytes, analyzeOptions)) ??
          (await analyzeModule(byName, module, analyzeOptions)),
      );
    } catch (e) {
      if (!isCheckpointError(e)) {
        throw e;
      }
      errors.push(e);
    }
  }
  return { analyses, errors };
}

/**
 * Scans one file's tensors in the order given (scan order), with one read ahead across tensors;
 * stops at the first failing tensor, keeping the stats of those before it.
 */
export async function scanFile(
  source: ByteSource,
  tensors: readonly TensorInfo[],
  options: Pick<ScanRunOptions, 'chunkBytes' | 'histograms'>,
  progress: Progress | undefined,
  /** Receives the bytes of every non-empty tensor of at most TINY_TENSOR_BYTES, when given. */
  tiny?: KnownBytes[],
): Promise<FileScan> {
  const stats = new Map<string, TensorStats>();
  let reported = 0;
  try {
    await scanTensors(source, tensors, {
      chunkBytes: options.chunkBytes ?? CLI_CHUNK_BYTES,
      histograms: histogramTensors(options.histograms === true),
      onProgress: (done) => {
        progress?.advance(done - reported);
        reported = done;
      },
      onTensor: (result, index) => {
        stats.set(tensors[index].name, result);
        reported = 0;
      },
      onTinyTensor:
        tiny === undefined
          ? undefined
          : (bytes, index) => {
              if (bytes.length > 0) {
                tiny.push({ offset: tensors[index].offset, bytes });
              }
            },
    });
  } catch (e) {
    if (!isCheckpointError(e)) {
      throw e;
    }
    return { stats, error: e };
  }
  return { stats, error: null };
}

/**
 * 2 when any file is invalid or an argument is wrong; else 1 when any NaN/Inf was found (in any
 * tensor, decoded by role) or any finding is an error (`scanExitStatus`); else 0.
 */
export function exitStatusOf(run: ScanRun, verdict: Verdict = runVerdict(run)): number {
  // The verdict the page shows, from the same model (role-decoded stats, findings); the caller
  // passes the one it printed (a walk over every tensor: ~0.7 s at a million tensors).
  return scanExitStatus({
    invalid: run.usageProblems.length > 0 || verdict.invalid || run.errors.length > 0,
    badValues: verdict.badValues,
    findings: run.findings,
  });
}
