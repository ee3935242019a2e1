import { openCheckpoint } from '../core/format/open-checkpoint';
import type { Checkpoint } from '../core/format/open-checkpoint';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { classifySource } from '../core/format/classify-source';
import { orderForScan } from '../core/scan/scan-order';
import { scanTensor } from '../core/scan/scan-tensor';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult } from '../core/report/json-report';
import { analyzeModule } from '../core/quant/analyze/analyze-module';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import { lintCheckpoint } from '../core/quant/lint/lint-checkpoint';
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

export interface ScanRun {
  readonly files: FileResult[];
  readonly errors: CheckpointError[];
  readonly usageProblems: string[];
  readonly elapsedSeconds: number;
  /** Quantization lint findings of every checkpoint group. */
  readonly findings: Finding[];
}

export interface ScanRunOptions {
  readonly chunkBytes?: number;
  readonly showProgress: boolean;
}

/** Exit statuses of `scan`: a public contract. */
export const EXIT_CLEAN = 0;
export const EXIT_NAN_FOUND = 1;
export const EXIT_INVALID = 2;

export async function runScan(paths: readonly string[], options: ScanRunOptions): Promise<ScanRun> {
  const started = performance.now();
  const { groups, problems } = await collectInputs(paths);
  const files: FileResult[] = [];
  const errors: CheckpointError[] = [];
  const findings: Finding[] = [];
  for (const group of groups) {
    await scanGroup(group, options, files, errors, findings);
  }
  return {
    files,
    errors,
    findings,
    usageProblems: problems.map((p) => p.message),
    elapsedSeconds: (performance.now() - started) / 1000,
  };
}

async function openAll(group: InputGroup, errors: CheckpointError[]): Promise<NodeFileSource[]> {
  const sources: NodeFileSource[] = [];
  for (const f of group.files) {
    try {
      sources.push(await openNodeFileSource(f.path));
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
  files: FileResult[],
  errors: CheckpointError[],
  findings: Finding[],
): Promise<void> {
  const sources = await openAll(group, errors);
  try {
    const checkpoint = await openCheckpoint(sources);
    errors.push(...checkpoint.indexErrors, ...checkpoint.configErrors);
    const report = recognize(checkpoint, sources);
    const schemes = new Map(report.files.map((f) => [f.file, f]));
    const total = checkpoint.files.reduce(
      (n, f) => n + (f.header ? f.header.tensors.reduce((m, t) => m + t.nbytes, 0) : 0),
      0,
    );
    const progress = options.showProgress ? createProgress(total) : undefined;
    const statsByFile = new Map<string, ReadonlyMap<string, TensorStats>>();
    for (const entry of checkpoint.files) {
      if (entry.error !== null || entry.header === null) {
        if (entry.error !== null) {
          errors.push(entry.error);
        }
        files.push({
          path: entry.source.name,
          size: entry.source.size,
          header: null,
          stats: new Map(),
        });
        continue;
      }
      const stats = new Map<string, TensorStats>();
      try {
        await scanFile(entry.source, entry.header.tensors, stats, options, progress);
      } catch (e) {
        if (!isCheckpointError(e)) {
          throw e;
        }
        errors.push(e);
      }
      statsByFile.set(entry.source.name, stats);
      files.push({
        path: entry.source.name,
        size: entry.source.size,
        header: entry.header,
        stats,
        quant: schemes.get(entry.source.name),
      });
    }
    progress?.done();
    const analyses = await analyzeAll(report, sources, options, errors);
    findings.push(...lintCheckpoint(report, analyses, statsByFile));
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
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
  sources: readonly NodeFileSource[],
  options: ScanRunOptions,
  errors: CheckpointError[],
): Promise<ModuleAnalysis[]> {
  const byName = sourceMap(sources);
  const analyses: ModuleAnalysis[] = [];
  for (const module of report.modules) {
    try {
      analyses.push(
        await analyzeModule(byName, module, {
          chunkBytes: options.chunkBytes,
          weights: 'if-zero-scales',
        }),
      );
    } catch (e) {
      if (!isCheckpointError(e)) {
        throw e;
      }
      errors.push(e);
    }
  }
  return analyses;
}

async function scanFile(
  source: NodeFileSource,
  tensors: Parameters<typeof orderForScan>[0],
  stats: Map<string, TensorStats>,
  options: ScanRunOptions,
  progress: Progress | undefined,
): Promise<void> {
  for (const tensor of orderForScan(tensors)) {
    let reported = 0;
    const result = await scanTensor(source, tensor, {
      chunkBytes: options.chunkBytes,
      onProgress: (done) => {
        progress?.advance(done - reported);
        reported = done;
      },
    });
    stats.set(tensor.name, result);
  }
}

/** Finding rules that count as NaN/Inf for the exit status (a NaN scale byte stored as U8 included). */
const NAN_RULES: ReadonlySet<string> = new Set(['nan-scale', 'inf-scale']);

/**
 * 2 when any file is invalid or an argument is wrong; else 1 when any NaN/Inf was found (in any
 * tensor, or in a scale decoded by role: `nan-scale` / `inf-scale` findings); else 0.
 */
export function exitStatusOf(run: ScanRun): number {
  if (run.errors.length > 0 || run.usageProblems.length > 0) {
    return EXIT_INVALID;
  }
  if (run.findings.some((f) => NAN_RULES.has(f.rule))) {
    return EXIT_NAN_FOUND;
  }
  for (const f of run.files) {
    for (const s of f.stats.values()) {
      if (s.nan + s.posInf + s.negInf > 0) {
        return EXIT_NAN_FOUND;
      }
    }
  }
  return EXIT_CLEAN;
}
