import { isCheckpointError } from '../core/format/errors';
import type { CheckpointError } from '../core/format/errors';
import type { TensorInfo } from '../core/format/tensor-info';
import type { ByteSource } from '../core/io/byte-source';
import type { KnownBytes } from '../core/io/known-bytes-source';
import { histogramTensors } from '../core/scan/scan-order';
import { scanTensors } from '../core/scan/scan-tensor';
import type { TensorStats } from '../core/scan/tensor-stats';
import type { Progress } from './progress';

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

/** What a file's scan takes of the run's options (`ScanRunOptions`). */
export interface FileScanOptions {
  /** `--chunk-bytes`; unset: CLI_CHUNK_BYTES. */
  readonly chunkBytes?: number;
  /** `--json --histograms`: every tensor's histogram (see `ScanRunOptions.histograms`). */
  readonly histograms?: boolean;
}

/** One file's scan: stats of the tensors scanned, and the error that stopped it, if any. */
export interface FileScan {
  readonly stats: Map<string, TensorStats>;
  readonly error: CheckpointError | null;
}

/**
 * Scans one file's tensors in the order given (scan order), with one read ahead across tensors;
 * stops at the first failing tensor, keeping the stats of those before it.
 */
export async function scanFile(
  source: ByteSource,
  tensors: readonly TensorInfo[],
  options: FileScanOptions,
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
