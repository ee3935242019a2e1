import { dtypeGroup } from '../dtype/dtype';
import { CheckpointError } from '../format/errors';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { readRange } from '../io/read-range';
import { createKernel } from './create-kernel';
import { EmptyTensorStats } from './empty-tensor-stats';
import { chunkReads, largestRead } from './read-groups';
import { giveBackReadBuffers, takeReadBuffer } from './read-buffers';
import type { ScanOptions, TensorStats } from './tensor-stats';

/**
 * Bytes read per chunk unless `ScanOptions.chunkBytes` says otherwise: large enough that per-read
 * overhead vanishes (a browser read costs ~2 ms), small enough to keep memory flat.
 */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/** The chunk size actually used: a whole number of element groups, at least one group. */
export function effectiveChunkBytes(tensor: TensorInfo, chunkBytes: number): number {
  if (!Number.isFinite(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(`chunkBytes must be a positive number, got ${chunkBytes}`);
  }
  const group = dtypeGroup(tensor.dtype).bytes;
  return Math.max(group, Math.floor(chunkBytes / group) * group);
}

/**
 * Streams one tensor's bytes through its scan kernel, chunk by chunk (never the whole tensor at
 * once), with one read ahead (see `scanTensors`). Rejects with a CheckpointError: `Cancelled` when
 * `options.signal` is aborted between chunks, `ReadFailed` when a read fails.
 */
export async function scanTensor(
  source: ByteSource,
  tensor: TensorInfo,
  options: ScanOptions = {},
): Promise<TensorStats> {
  const [stats] = await scanTensors(source, [tensor], options);
  return stats;
}

/** Options of `scanTensors`; `onProgress` reports bytes of the tensor being scanned, as in `scanTensor`. */
export interface ScanTensorsOptions extends ScanOptions {
  /** Called with each tensor's stats as soon as it is done, and its index in `tensors`. */
  readonly onTensor?: (stats: TensorStats, index: number) => void;
  /**
   * Which tensors need a histogram; the others come without one (`histogram: null`), scanned
   * faster where a kernel can (see KernelOptions.histogram). Default: every tensor.
   */
  readonly histograms?: (tensor: TensorInfo) => boolean;
  /**
   * Called with the raw bytes of every tensor of at most TINY_TENSOR_BYTES (a copy), before its
   * stats: callers keep them so later passes need not read them again.
   */
  readonly onTinyTensor?: (bytes: Uint8Array, index: number) => void;
}

/**
 * Tensors this small are handed to `onTinyTensor`: 4 KiB covers scalar and per-expert global and
 * input scales (1,024 F32 experts), which the quantization analysis reads one by one, while a
 * checkpoint's tensors this small add up to little memory (24,000 scalars are ~100 KB).
 */
export const TINY_TENSOR_BYTES = 4096;

/**
 * Scans `tensors` one after another, in the order given (see `orderForScan`), with one read
 * ahead across the whole list: the next chunk (of this tensor or the next) is read while the
 * kernel scans this one, so file reads (off the JS thread in Node) overlap the scan. Sources that
 * support `readInto` fill two reused buffers in turn. Rejects like `scanTensor`.
 */
export async function scanTensors(
  source: ByteSource,
  tensors: readonly TensorInfo[],
  options: ScanTensorsOptions = {},
): Promise<TensorStats[]> {
  const chunkBytes = tensors.map((t) =>
    effectiveChunkBytes(t, options.chunkBytes ?? DEFAULT_CHUNK_BYTES),
  );
  const largest = largestRead(tensors, chunkBytes);
  const buffers =
    source.readInto === undefined || largest === 0
      ? null
      : [takeReadBuffer(largest), takeReadBuffer(largest)];
  const plan = chunkReads(tensors, chunkBytes);
  let turn = 0;
  /** Starts the next read of the plan; null when there is none or the scan is cancelled. */
  const issue = (): Promise<Uint8Array> | null => {
    const step = plan.next();
    if (step.done === true || options.signal?.aborted === true) {
      return null;
    }
    const { group, at, length } = step.value;
    if (group.bytes === null) {
      // Small tensors back to back share one read (read-groups.ts); the others read per chunk.
      const target = buffers === null ? null : buffers[turn++ & 1];
      group.bytes = readRange(source, group.offset, group.length, target, group.tensor);
    }
    return at === 0 && length === group.length
      ? group.bytes
      : group.bytes.then((bytes) => bytes.subarray(at, at + length));
  };
  const results: TensorStats[] = [];
  const empty = new EmptyTensorStats({ wasm: options.wasm });
  let next: Promise<Uint8Array> | null = null;
  try {
    next = issue();
    for (const [index, tensor] of tensors.entries()) {
      const wantHistogram = options.histograms?.(tensor) ?? true;
      if (tensor.nbytes === 0) {
        const stats = empty.of(tensor, wantHistogram);
        options.onTinyTensor?.(new Uint8Array(0), index);
        options.onTensor?.(stats, index);
        results.push(stats);
        continue;
      }
      const kernel = createKernel(tensor, { wasm: options.wasm, histogram: wantHistogram });
      const { elements: groupElements, bytes: groupBytes } = dtypeGroup(tensor.dtype);
      let stats: TensorStats;
      const tiny =
        options.onTinyTensor !== undefined && tensor.nbytes <= TINY_TENSOR_BYTES
          ? new Uint8Array(tensor.nbytes)
          : null;
      try {
        for (let done = 0; done < tensor.nbytes;) {
          if (next === null || options.signal?.aborted === true) {
            throw new CheckpointError('Cancelled', source.name, 'scan cancelled', tensor.name);
          }
          const chunk = await next;
          next = issue();
          tiny?.set(chunk, done);
          kernel.update(chunk, (done / groupBytes) * groupElements);
          done += chunk.length;
          options.onProgress?.(done);
        }
        stats = kernel.finish();
        if (!wantHistogram && stats.histogram !== null) {
          // Kernels that count anyway (every dtype but U8 / I8) drop it here, so what a caller
          // keeps does not depend on the kernel.
          stats = { ...stats, histogram: null };
        }
      } catch (e) {
        kernel.release?.();
        throw e;
      }
      if (tiny !== null) {
        options.onTinyTensor?.(tiny, index);
      }
      options.onTensor?.(stats, index);
      results.push(stats);
    }
  } finally {
    // A scan that stopped early may leave a read in flight: nobody awaits it, and its buffer is
    // free only once it settles.
    const release = (): void => {
      if (buffers !== null) {
        giveBackReadBuffers(buffers);
      }
    };
    if (next === null) {
      release();
    } else {
      next.then(release, release);
    }
  }
  return results;
}
