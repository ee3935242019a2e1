import { checkpointVerdict } from '../core/report/verdict';
import type { Verdict, VerdictInput, VerdictModel } from '../core/report/verdict';
import type { FileResult, ReportableError } from '../core/report/json-report';
import type { Finding } from '../core/quant/quant-types';
import type { TensorInfo } from '../core/format/tensor-info';
import { wholeAndClean } from './file-stats';

/** What the verdict needs of a scan run (a `ScanRun` has it all). */
export interface VerdictRun {
  readonly files: readonly FileResult[];
  readonly errors: readonly ReportableError[];
  readonly findings: readonly Finding[];
}

/**
 * A CLI run as the verdict's model, the same one the page builds from its store: files whose header
 * failed are invalid (their own error is not counted again), a valid file whose scan stopped is
 * unreadable with its remaining tensors not scanned, index and config errors by their codes.
 */
export function runVerdictModel(
  run: VerdictRun,
  /**
   * The tensors the run set out to read (all by default; a default remote scan: scales and small
   * tensors). The others, unread, are unread by choice, not failed, unless an error names
   * their file (its reads failed: every tensor it left unread is failed).
   */
  toRead: (t: TensorInfo) => boolean = () => true,
): VerdictModel {
  const invalidPaths = new Set(run.files.filter((f) => f.header === null).map((f) => f.path));
  const unreadablePaths = new Set<string>();
  // Only the tensors holding NaN/Inf, with the counts beside them (VerdictModel.counts): a million
  // clean tensors are counted, not copied into a million verdict inputs.
  const tensors: VerdictInput[] = [];
  let tensorCount = 0;
  let scanned = 0;
  let failedTensors = 0;
  let unreadByChoice = 0;
  const failedPaths = new Set(run.errors.map((e) => e.file));
  const files = run.files.map((f) => {
    const all = f.header?.tensors ?? [];
    const failed = failedPaths.has(f.path);
    let notScanned = 0;
    tensorCount += all.length;
    if (wholeAndClean(f)) {
      scanned += all.length;
      return { valid: true, unreadable: false };
    }
    for (const t of all) {
      const s = f.stats.get(t.name);
      if (s !== undefined) {
        scanned += 1;
        if (s.nan + s.posInf + s.negInf > 0) {
          tensors.push({ name: t.name, dtype: s.dtype, stats: s });
        }
      } else if (failed || toRead(t)) {
        notScanned += 1;
      } else {
        unreadByChoice += 1;
      }
    }
    failedTensors += notScanned;
    if (f.header !== null && notScanned > 0) {
      unreadablePaths.add(f.path);
    }
    return { valid: f.header !== null, unreadable: f.header !== null && notScanned > 0 };
  });
  let indexErrors = 0;
  let configErrors = 0;
  let otherErrors = 0;
  for (const e of run.errors) {
    if (e.code.startsWith('Index')) {
      indexErrors += 1;
    } else if (e.code === 'ConfigInvalid') {
      configErrors += 1;
    } else if (!invalidPaths.has(e.file) && !unreadablePaths.has(e.file)) {
      otherErrors += 1;
    }
  }
  return {
    tensors,
    counts: { tensors: tensorCount, scanned },
    files,
    failedTensors,
    indexErrors,
    configErrors,
    otherErrors,
    findings: run.findings,
    state: 'complete',
    unreadByChoice,
  };
}

/** The verdict of a CLI run: its summary line and its exit status come from this. */
export function runVerdict(run: VerdictRun, toRead?: (t: TensorInfo) => boolean): Verdict {
  return checkpointVerdict(runVerdictModel(run, toRead));
}
