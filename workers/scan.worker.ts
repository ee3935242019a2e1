/**
 * The scan worker: transport, not logic. Files go in; the worker reads its own slices through core
 * and sends back plain summaries. Everything it calls runs unchanged in Node and in tests.
 */
import { expose } from 'comlink';
import { blobSource } from '../core/io/byte-source';
import { openCheckpoint } from '../core/format/open-checkpoint';
import { scanTensor } from '../core/scan/scan-tensor';
import { planRepair } from '../core/repair/plan-repair';
import type { RepairPlan, TensorRole } from '../core/repair/plan-repair';
import type { RepairPolicy } from '../core/repair/repair-policy';
import { sha256OfSource } from '../core/repair/sha256-stream';
import type { SafetensorsHeader, TensorInfo } from '../core/format/tensor-info';
import type { TensorStats } from '../core/scan/tensor-stats';
import { summarizeCheckpoint } from './checkpoint-summary';
import type { CheckpointSummary } from './checkpoint-summary';
import { plainError } from './plain-error';
import type { PlainError } from './plain-error';

/** Progress messages cost a postMessage each: send at most one per this many ms per batch. */
const PROGRESS_INTERVAL_MS = 100;

export interface NamedFile {
  /** Path relative to what the user dropped (`folder/model-00001-of-00002.safetensors`). */
  readonly name: string;
  readonly file: Blob;
}

export type TensorOutcome =
  | { readonly name: string; readonly stats: TensorStats }
  | { readonly name: string; readonly error: PlainError };

const api = {
  /** Parses every header, the index and the configs; reads no tensor data. */
  async openCheckpoint(files: readonly NamedFile[]): Promise<CheckpointSummary> {
    const checkpoint = await openCheckpoint(files.map((f) => blobSource(f.name, f.file)));
    return summarizeCheckpoint(checkpoint);
  },

  /**
   * Scans a batch of tensors of one file in order. Each finished tensor goes to `onTensor`; bytes
   * done (for this batch) go to `onProgress`, throttled. A failing tensor is reported, the rest go on.
   */
  async scanBatch(
    file: NamedFile,
    tensors: readonly TensorInfo[],
    chunkBytes: number | undefined,
    onTensors: (outcomes: TensorOutcome[]) => void,
    onProgress: (bytesDone: number) => void,
  ): Promise<void> {
    const source = blobSource(file.name, file.file);
    let finishedBytes = 0;
    let lastProgress = 0;
    let pending: TensorOutcome[] = [];
    const flush = (force: boolean): void => {
      const now = performance.now();
      if (force || now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        if (pending.length > 0) {
          onTensors(pending);
          pending = [];
        }
      }
    };
    for (const tensor of tensors) {
      try {
        const stats = await scanTensor(source, tensor, {
          chunkBytes,
          onProgress: (done) => {
            const now = performance.now();
            if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
              flush(true);
              onProgress(finishedBytes + done);
            }
          },
        });
        pending.push({ name: tensor.name, stats });
      } catch (e) {
        pending.push({ name: tensor.name, error: plainError(e, file.name, tensor.name) });
      }
      finishedBytes += tensor.nbytes;
      flush(false);
    }
    flush(true);
    onProgress(finishedBytes);
  },

  /** Plans a repair of one file: streams only the tensors the policy covers. */
  async planRepair(
    file: NamedFile,
    header: SafetensorsHeader,
    policy: RepairPolicy,
    roles: ReadonlyMap<string, TensorRole> | undefined,
  ): Promise<{ plan: RepairPlan } | { error: PlainError }> {
    try {
      const result = await planRepair(blobSource(file.name, file.file), header, policy, { roles });
      return result.ok ? { plan: result.value } : { error: plainError(result.error, file.name) };
    } catch (e) {
      return { error: plainError(e, file.name) };
    }
  },

  /** SHA-256 (hex) of a whole file or repaired Blob, streamed; progress in bytes. */
  async sha256(file: NamedFile, onProgress: (bytesDone: number) => void): Promise<string> {
    let last = 0;
    return sha256OfSource(blobSource(file.name, file.file), {
      onProgress: (done) => {
        const now = performance.now();
        if (now - last >= PROGRESS_INTERVAL_MS) {
          last = now;
          onProgress(done);
        }
      },
    });
  },
};

export type ScanWorkerApi = typeof api;
export type { RepairPlan };

expose(api);
