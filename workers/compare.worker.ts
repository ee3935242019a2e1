/**
 * The compare worker (issue 15): two checkpoints go in, it opens both, compares them pair by pair
 * through core/diff and streams each pair's result back; the page asks for one pair's histograms
 * afterwards. Transport, not logic: everything here runs unchanged in Node through core.
 */
import { expose } from 'comlink';
import { diffCheckpoints } from '../core/diff/diff-checkpoints';
import type { DiffInput } from '../core/diff/diff-side';
import { indexSide } from '../core/diff/diff-side';
import type { DiffError, DiffReport, PairResult } from '../core/diff/diff-types';
import { pairHistograms } from '../core/diff/pair-histograms';
import type { PairHistograms } from '../core/diff/pair-histograms';
import { planPairs } from '../core/diff/pairing';
import { blobSource } from '../core/io/byte-source';
import { openCheckpoint } from '../core/format/open-checkpoint';
import { recognizeScheme } from '../core/quant/recognize-scheme';
import { sourceMap } from '../core/quant/stream/read-exact';
import type { NamedFile } from './scan.worker';
import { plainError } from './plain-error';
import type { PlainError } from './plain-error';
import { sourceOrFailure } from './remote-files';

/**
 * Bytes per read of the comparison: a dequantized chunk is up to 16 float64 bytes per packed FP4
 * byte, so 1 MiB keeps each side's block near 16 MiB in the tab (as the CLI does).
 */
const COMPARE_CHUNK_BYTES = 1024 * 1024;

/** Progress messages cost a postMessage each: at most one per this many ms. */
const PROGRESS_INTERVAL_MS = 100;

async function openSide(
  label: string,
  files: readonly NamedFile[],
): Promise<{
  input: DiffInput;
  errors: DiffError[];
}> {
  const sources = await Promise.all(
    files.map((f) => sourceOrFailure(f.name, f.file, () => blobSource(f.name, f.file))),
  );
  const checkpoint = await openCheckpoint(sources);
  const errors: DiffError[] = [];
  for (const f of checkpoint.files) {
    if (f.error !== null) {
      errors.push({ path: f.error.file, code: f.error.code, message: f.error.message });
    }
  }
  for (const e of [...checkpoint.indexErrors, ...checkpoint.configErrors]) {
    errors.push({ path: e.file, code: e.code, message: e.message });
  }
  const headers = checkpoint.files.flatMap((f) => (f.header === null ? [] : [f.header]));
  const report = recognizeScheme(headers, checkpoint.config, checkpoint.hfQuantConfig);
  return { input: { path: label, headers, report, sources: sourceMap(sources) }, errors };
}

/** The last comparison's inputs, kept for the detail's histograms (one comparison at a time). */
let latest: { readonly a: DiffInput; readonly b: DiffInput } | null = null;
let cancelled = { aborted: false };

export type CompareOutcome =
  | { readonly ok: true; readonly report: DiffReport }
  | { readonly ok: false; readonly error: PlainError };

const api = {
  /**
   * Compares B against A. Each pair's result goes to `onPair` as soon as it is known, progress
   * (elements done, in all) to `onProgress`, throttled. Resolves with the whole report (pairs
   * worst first), or with the error that stopped it (a cancel included).
   */
  async compare(
    labelA: string,
    filesA: readonly NamedFile[],
    labelB: string,
    filesB: readonly NamedFile[],
    onPair: (pair: PairResult) => void,
    onProgress: (done: number, total: number) => void,
  ): Promise<CompareOutcome> {
    cancelled = { aborted: false };
    const signal = cancelled;
    try {
      const a = await openSide(labelA, filesA);
      const b = await openSide(labelB, filesB);
      latest = { a: a.input, b: b.input };
      let last = 0;
      const report = await diffCheckpoints(a.input, b.input, {
        chunkBytes: COMPARE_CHUNK_BYTES,
        signal,
        onPair,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - last >= PROGRESS_INTERVAL_MS || done === total) {
            last = now;
            onProgress(done, total);
          }
        },
      });
      return {
        ok: true,
        report: { ...report, errors: [...a.errors, ...b.errors, ...report.errors] },
      };
    } catch (e) {
      return { ok: false, error: plainError(e, labelB) };
    }
  },

  /** Stops the running comparison at its next read. */
  cancel(): void {
    cancelled.aborted = true;
  },

  /** Histograms of A, B and A − B for the pair named `name` of the last comparison. */
  async histograms(name: string): Promise<PairHistograms | null> {
    if (latest === null) {
      return null;
    }
    const plan = planPairs(indexSide(latest.a), indexSide(latest.b));
    const pair = plan.pairs.find((p) => p.name === name);
    if (pair === undefined) {
      return null;
    }
    return pairHistograms(pair, latest.a.sources, latest.b.sources, {
      chunkBytes: COMPARE_CHUNK_BYTES,
    });
  },
};

export type CompareWorkerApi = typeof api;

expose(api);
