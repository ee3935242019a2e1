import type { ErrorCode } from '../core/format/errors';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ModuleAnalysis } from '../core/quant/analyze/analyze-module';
import type { KnownCodeEntry } from '../core/quant/analyze/known-codes';
import type { QuantModule } from '../core/quant/quant-types';
import type { TensorStats } from '../core/scan/tensor-stats';

/**
 * Messages between `scan-threads.ts` (the main thread) and `scan-thread.ts` (each worker thread).
 * Everything is structured-clone data; a CheckpointError travels as its fields.
 */
export type ToThread =
  | {
      readonly type: 'scan';
      readonly job: number;
      /** The file to open and the name its ByteSource carries (errors and stats name it). */
      readonly path: string;
      /** The raw bytes to open instead, for a path that is not valid UTF-8 (`path` is lossy). */
      readonly locations?: Readonly<Record<string, Uint8Array>>;
      readonly tensors: readonly TensorInfo[];
      readonly chunkBytes: number | undefined;
      /** Every tensor gets a histogram, else only 1-byte scale and small ones (histogramTensors). */
      readonly allHistograms: boolean;
    }
  | {
      readonly type: 'analyze';
      readonly job: number;
      /** Every file of the checkpoint group: a module's tensors may sit in any of them. */
      readonly paths: readonly string[];
      /** As for `scan`: raw bytes to open for paths that are not valid UTF-8. */
      readonly locations?: Readonly<Record<string, Uint8Array>>;
      /** Analysed in turn; a module's failure (a CheckpointError) does not stop the others. */
      readonly modules: readonly QuantModule[];
      readonly chunkBytes: number | undefined;
      /** Byte histograms of the modules' 1-byte scales already scanned: not read again. */
      readonly known: readonly KnownCodeEntry[];
    }
  /** Close every file the thread has open (end of a checkpoint group); answered by `released`. */
  | { readonly type: 'release'; readonly job: number };

export interface PlainCheckpointError {
  readonly code: ErrorCode;
  readonly file: string;
  readonly detail: string;
  readonly tensor: string | null;
}

/** A module's analysis, or the CheckpointError that stopped it. */
export type PlainAnalysisResult =
  | { readonly analysis: ModuleAnalysis; readonly error?: undefined }
  | { readonly analysis?: undefined; readonly error: PlainCheckpointError };

export type FromThread =
  /** Stats of tensors `first`, `first + 1`, … of a scan job, in job order. */
  | {
      readonly type: 'tensors';
      readonly job: number;
      readonly first: number;
      readonly stats: readonly TensorStats[];
    }
  /** Tensor bytes scanned since the last progress message. */
  | { readonly type: 'progress'; readonly job: number; readonly bytes: number }
  /** One result per module of an analyze job, in its order. */
  | {
      readonly type: 'analyses';
      readonly job: number;
      readonly results: readonly PlainAnalysisResult[];
    }
  /** The job stopped at its tensor `index` (a scan job) with a CheckpointError. */
  | {
      readonly type: 'failed';
      readonly job: number;
      readonly index: number;
      readonly error: PlainCheckpointError;
    }
  /** Anything but a CheckpointError: a bug, reported as the CLI's internal error. */
  | { readonly type: 'crashed'; readonly job: number; readonly message: string }
  /** The job is over (after its results, or after `failed`). */
  | { readonly type: 'done'; readonly job: number };
