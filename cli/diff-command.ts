import { parseArgs } from 'node:util';
import { diffCheckpoints, diffVerdict } from '../core/diff/diff-checkpoints';
import type { DiffError, DiffReport } from '../core/diff/diff-types';
import type { CheckpointError } from '../core/format/errors';
import { formatDiffText } from './diff-text';
import { openDiffSide } from './diff-open';
import { diffThreadEntry, threadedRunner } from './diff-threads';
import { isRemoteArgument } from './remote-scan';
import type { OpenedSide } from './diff-open';
import { terminalSafe } from './terminal-text';

/** Exit statuses of `diff` (issue 15): compared and clean, a pair below the bar or new NaN/Inf, bad input. */
export const DIFF_EXIT_CLEAN = 0;
export const DIFF_EXIT_WORSE = 1;
export const DIFF_EXIT_INVALID = 2;

/**
 * Bytes per read of the diff (both sides, and each dequantizer's chunk). A dequantized chunk holds
 * up to 2 values per byte as float64 (16 bytes per packed FP4 byte), so 1 MiB keeps each side's
 * block at ~16 MiB, three of them at most (the float side, the module, an alternative layout).
 */
export const DIFF_CHUNK_BYTES = 1024 * 1024;

/** Upper bound of `--threads` (the same as scan's). */
const MAX_THREADS = 64;

export const DIFF_USAGE = `Usage:
  ckptscope diff A B [--json] [--min-sqnr DB] [--threads N] [--no-progress] [--token T]

Compares checkpoint B against checkpoint A (the reference), tensor by tensor: a module quantized
in one (NVFP4, MXFP4, FP8, AWQ, GPTQ, ...) is dequantized and compared with the float weight of
the same module in the other. A and B are .safetensors files, model.safetensors.index.json files,
checkpoint folders, or remote inputs (hf://ORG/NAME, https://...).

Per pair: SQNR in dB (20·log10(‖A‖/‖A−B‖)), relative L2, cosine, max |A−B|, NaN/Inf on each side;
tensors of the same dtype with identical bytes are reported identical (no metrics computed).

Options:
  --json          print one JSON document on stdout instead of the readable report
  --min-sqnr DB   exit 1 when a pair's SQNR is below DB
  --threads N     compare pairs on N worker threads (1 to ${MAX_THREADS}; default 1, local inputs
                  only); the report does not depend on N
  --no-progress   no progress line on stderr
  --token T       Hugging Face token for hf:// inputs (default: HF_TOKEN)
  -h, --help      this text

Exit status: 0 compared, nothing below --min-sqnr and no NaN/Inf in B where A is finite;
1 otherwise (a pair that could not be compared included); 2 invalid input or usage.
`;

function usageError(message: string): number {
  process.stderr.write(`ckptscope diff: ${message}\n\n${DIFF_USAGE}`);
  return DIFF_EXIT_INVALID;
}

function asDiffError(e: CheckpointError): DiffError {
  return { path: e.file, code: e.code, message: e.message };
}

/** A progress line on stderr when it is a terminal, redrawn at most every PROGRESS_MS. */
const PROGRESS_MS = 100;

function progressLine(enabled: boolean): {
  update(done: number, total: number): void;
  done(): void;
} {
  const stream = process.stderr;
  if (!enabled || !stream.isTTY) {
    return { update: () => undefined, done: () => undefined };
  }
  let last = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < PROGRESS_MS) {
        return;
      }
      last = now;
      const pct = total > 0 ? (100 * done) / total : 100;
      stream.write(`\rcomparing ${pct.toFixed(1)}% of ${total} elements   `);
    },
    done() {
      stream.write('\r\u001b[2K');
    },
  };
}

async function closeAll(sides: readonly OpenedSide[]): Promise<void> {
  await Promise.all(sides.map((s) => s.close()));
}

/** `ckptscope diff A B ...`: returns the exit status. */
export async function runDiff(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'min-sqnr': { type: 'string' },
        threads: { type: 'string' },
        'no-progress': { type: 'boolean', default: false },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(DIFF_USAGE);
    return 0;
  }
  if (positionals.length !== 2) {
    return usageError(`diff takes two checkpoints, A and B (got ${positionals.length})`);
  }
  let minSqnr: number | null = null;
  if (values['min-sqnr'] !== undefined) {
    minSqnr = Number(values['min-sqnr']);
    if (values['min-sqnr'].trim() === '' || !Number.isFinite(minSqnr)) {
      return usageError(`--min-sqnr takes a number of dB, not ${values['min-sqnr']}`);
    }
  }
  let threads = 1;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      return usageError(
        `--threads takes a whole number from 1 to ${MAX_THREADS}, not ${values.threads}`,
      );
    }
  }
  const [pathA, pathB] = positionals;
  const sides: OpenedSide[] = [];
  try {
    sides.push(await openDiffSide(pathA, { token: values.token }));
    sides.push(await openDiffSide(pathB, { token: values.token }));
    const [a, b] = sides;
    const problems = [...a.problems, ...b.problems];
    for (const p of problems) {
      process.stderr.write(`ckptscope diff: ${terminalSafe(p)}\n`);
    }
    const openErrors = [...a.errors, ...b.errors];
    if (a.input === null || b.input === null || problems.length > 0) {
      for (const e of openErrors) {
        process.stderr.write(`ckptscope diff: ${terminalSafe(e.message)}\n`);
      }
      if (values.json) {
        // Nothing was compared: the document says why, with the sides it could not open.
        const errors: DiffError[] = openErrors.map(asDiffError);
        for (const [path, side] of [
          [pathA, a],
          [pathB, b],
        ] as const) {
          for (const message of side.problems) {
            errors.push({ path, code: 'InvalidInput', message });
          }
        }
        const side = (path: string, opened: OpenedSide): { path: string; scheme: null } => ({
          path: opened.input?.path ?? path,
          scheme: null,
        });
        process.stdout.write(
          `${JSON.stringify({ a: side(pathA, a), b: side(pathB, b), pairs: [], onlyA: [], onlyB: [], findings: [], errors })}\n`,
        );
      }
      return DIFF_EXIT_INVALID;
    }
    const progress = progressLine(!values.json && !values['no-progress']);
    let report: DiffReport;
    try {
      const entry = diffThreadEntry();
      const local = !isRemoteArgument(pathA) && !isRemoteArgument(pathB);
      report = await diffCheckpoints(a.input, b.input, {
        chunkBytes: DIFF_CHUNK_BYTES,
        onProgress: (done, total) => progress.update(done, total),
        runPairs:
          threads > 1 && local && entry !== null
            ? threadedRunner(entry, { pathA, pathB, chunkBytes: DIFF_CHUNK_BYTES }, threads)
            : undefined,
      });
    } finally {
      progress.done();
    }
    const full: DiffReport = {
      ...report,
      errors: openErrors.map(asDiffError).concat(report.errors),
    };
    process.stdout.write(values.json ? `${JSON.stringify(full)}\n` : formatDiffText(full, minSqnr));
    if (openErrors.length > 0) {
      return DIFF_EXIT_INVALID;
    }
    return diffVerdict(report, minSqnr) === 0 ? DIFF_EXIT_CLEAN : DIFF_EXIT_WORSE;
  } finally {
    await closeAll(sides);
  }
}
