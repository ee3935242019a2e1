import { appendAll } from '../core/append-all';
import { openCheckpoint } from '../core/format/open-checkpoint';
import type { Checkpoint } from '../core/format/open-checkpoint';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { classifySource } from '../core/format/classify-source';
import { isPriorityTensor, orderForScan } from '../core/scan/scan-order';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult } from '../core/report/json-report';
import type { ByteSource } from '../core/io/byte-source';
import { withKnownBytes } from '../core/io/known-bytes-source';
import type { KnownBytes } from '../core/io/known-bytes-source';
import type { AnalyzeOptions, KnownTensorBytes } from '../core/quant/analyze/analyze-module';
import { analyzeKnownModule, analyzeModule } from '../core/quant/analyze/analyze-module';
import { knownTensorBytes } from './known-tensor-bytes';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import { knownCodeEntry, knownCodesOf } from '../core/quant/analyze/known-codes';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import type { KnownCodes } from '../core/quant/analyze/summarize-scale';
import { lintCheckpoint } from '../core/quant/lint/lint-checkpoint';
import { scanExitStatus } from '../core/report/exit-status';
import type { Finding } from '../core/quant/quant-types';
import { recognizeScheme } from '../core/quant/recognize-scheme';
import type { SchemeReport } from '../core/quant/recognize-scheme';
import { sourceMap } from '../core/quant/stream/read-exact';
import { collectInputs } from './collect-inputs';
import { ANALYSIS_CHUNK_BYTES, scanFile } from './scan-file';
import type { FileScan } from './scan-file';
import { scanOnThreads, Threads } from './scan-on-threads';
import type { Analyses, GroupScan, ScannableFile } from './scan-on-threads';
import type { InputGroup } from './collect-inputs';
import { openNodeFileSource } from './node-file-source';
import type { NodeFileSource } from './node-file-source';
import { createProgress } from './progress';
import type { Progress } from './progress';
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
   * Unset: defaultThreadCount(), used for checkpoint groups of at least THREADS_MIN_BYTES
   * (scan-on-threads.ts).
   * Results are the same whatever the number.
   */
  readonly threads?: number;
}

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
