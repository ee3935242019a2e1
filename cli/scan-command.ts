import { openCheckpoint } from '../core/format/open-checkpoint';
import { CheckpointError, isCheckpointError } from '../core/format/errors';
import { orderForScan } from '../core/scan/scan-order';
import { scanTensor } from '../core/scan/scan-tensor';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { FileResult } from '../core/report/json-report';
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
  for (const group of groups) {
    await scanGroup(group, options, files, errors);
  }
  return {
    files,
    errors,
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
): Promise<void> {
  const sources = await openAll(group, errors);
  try {
    const checkpoint = await openCheckpoint(sources);
    errors.push(...checkpoint.indexErrors, ...checkpoint.configErrors);
    const total = checkpoint.files.reduce(
      (n, f) => n + (f.header ? f.header.tensors.reduce((m, t) => m + t.nbytes, 0) : 0),
      0,
    );
    const progress = options.showProgress ? createProgress(total) : undefined;
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
      files.push({ path: entry.source.name, size: entry.source.size, header: entry.header, stats });
    }
    progress?.done();
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
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

/** 2 when any file is invalid or an argument is wrong; else 1 when any NaN/Inf was found; else 0. */
export function exitStatusOf(run: ScanRun): number {
  if (run.errors.length > 0 || run.usageProblems.length > 0) {
    return EXIT_INVALID;
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
