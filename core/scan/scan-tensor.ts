import { dtypeGroup } from '../dtype/dtype';
import { CheckpointError } from '../format/errors';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { readRange } from '../io/read-range';
import { createKernel } from './create-kernel';
import { EmptyTensorStats } from './empty-tensor-stats';
import type { ReadGroup } from './read-groups';
import { largestRead, readGroups } from './read-groups';
import { giveBackReadBuffers, takeReadBuffer } from './read-buffers';
import type { ScanKernel } from './scan-kernel';
import type { ScanOptions, TensorStats } from './tensor-stats';
import { scanTinyTensor } from './tiny-scan';

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

/** A read of `readGroups` under way: its group and the promise of its bytes. */
interface PendingRead {
  readonly group: ReadGroup;
  readonly bytes: Promise<Uint8Array>;
}

/**
 * Scans `tensors` one after another, in the order given (see `orderForScan`), with one read
 * ahead across the whole list: as soon as one read (`readGroups`: a chunk of a large tensor, or
 * back-to-back small tensors together) has arrived, the next is started, and the kernels scan this
 * one while it is read (file reads run off the JS thread in Node). The tensors of a read that has
 * arrived are scanned synchronously, one after another (a tiny tensor without a kernel object:
 * `scanTinyTensor`). Sources that support `readInto` fill two reused buffers in turn. Rejects
 * like `scanTensor`.
 */
export async function scanTensors(
  source: ByteSource,
  tensors: readonly TensorInfo[],
  options: ScanTensorsOptions = {},
): Promise<TensorStats[]> {
  // By dtype: the chunk size depends on nothing else (400,000 tensors, a handful of dtypes).
  const chunkOfDtype = new Map<string, number>();
  const chunkBytes = tensors.map((t) => {
    let bytes = chunkOfDtype.get(t.dtype);
    if (bytes === undefined) {
      bytes = effectiveChunkBytes(t, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
      chunkOfDtype.set(t.dtype, bytes);
    }
    return bytes;
  });
  const largest = largestRead(tensors, chunkBytes);
  const buffers =
    source.readInto === undefined || largest === 0
      ? null
      : [takeReadBuffer(largest), takeReadBuffer(largest)];
  const plan = readGroups(tensors, chunkBytes);
  let turn = 0;
  /** Whether the scan has been cancelled (options.signal). */
  const cancelled = (): boolean => options.signal?.aborted === true;
  /** Starts the next read of the plan; null when there is none or the scan is cancelled. */
  const issue = (): PendingRead | null => {
    const step = plan.next();
    if (step.done === true || cancelled()) {
      return null;
    }
    const group = step.value;
    const target = buffers === null ? null : buffers[turn++ & 1];
    return {
      group,
      bytes: readRange(source, group.offset, group.length, target, group.tensor),
    };
  };
  const results: TensorStats[] = [];
  const empty = new EmptyTensorStats({ wasm: options.wasm });
  /** Tiny tensors are scanned without a kernel unless the caller asked for WASM ones. */
  const tinyPath = options.wasm !== true;
  /** The tensor being fed chunk by chunk to `kernel` (one that spans reads, or not tiny). */
  let kernel: ScanKernel | null = null;
  let wantHistogram = true;
  let tiny: Uint8Array | null = null;
  /** Hands over the stats of tensor `index` (and its bytes, when tiny) to the caller. */
  const done = (index: number, stats: TensorStats): void => {
    if (tiny !== null) {
      options.onTinyTensor?.(tiny, index);
      tiny = null;
    }
    options.onTensor?.(stats, index);
    results.push(stats);
  };
  let next: PendingRead | null = null;
  try {
    next = issue();
    for (let index = 0; index < tensors.length;) {
      const tensor = tensors[index];
      if (tensor.nbytes === 0) {
        const stats = empty.of(tensor, options.histograms?.(tensor) ?? true);
        options.onTinyTensor?.(new Uint8Array(0), index);
        options.onTensor?.(stats, index);
        results.push(stats);
        index++;
        continue;
      }
      if (next === null || cancelled()) {
        throw new CheckpointError('Cancelled', source.name, 'scan cancelled', tensor.name);
      }
      const { group } = next;
      const bytes = await next.bytes;
      next = issue();
      for (let k = group.first; k < group.end; k++) {
        const t = tensors[k];
        if (k > group.first && cancelled()) {
          throw new CheckpointError('Cancelled', source.name, 'scan cancelled', t.name);
        }
        // The part of tensor k in this read (all of it when small: see readGroups).
        const start = Math.max(group.offset, t.offset);
        const length = Math.min(group.offset + group.length, t.offset + t.nbytes) - start;
        const at = start - group.offset;
        const before = start - t.offset;
        const whole = length === t.nbytes;
        if (kernel === null) {
          wantHistogram = options.histograms?.(t) ?? true;
          tiny = null;
          if (options.onTinyTensor !== undefined && t.nbytes <= TINY_TENSOR_BYTES) {
            tiny = whole ? bytes.slice(at, at + length) : new Uint8Array(t.nbytes);
          }
          if (whole && tinyPath) {
            // The copy handed over, when there is one, is the tensor's bytes too: no view of the read.
            const stats = scanTinyTensor(t, tiny ?? bytes.subarray(at, at + length), wantHistogram);
            if (stats !== null) {
              options.onProgress?.(length);
              done(k, stats);
              continue;
            }
          }
          kernel = createKernel(t, { wasm: options.wasm, histogram: wantHistogram });
        }
        const chunk = bytes.subarray(at, at + length);
        if (!whole) {
          tiny?.set(chunk, before);
        }
        const { elements: groupElements, bytes: groupBytes } = dtypeGroup(t.dtype);
        kernel.update(chunk, (before / groupBytes) * groupElements);
        options.onProgress?.(before + length);
        if (before + length === t.nbytes) {
          let stats = kernel.finish();
          kernel = null;
          if (!wantHistogram && stats.histogram !== null) {
            // Kernels that count anyway (every dtype but U8 / I8) drop it here, so what a caller
            // keeps does not depend on the kernel.
            stats = { ...stats, histogram: null };
          }
          done(k, stats);
        }
      }
      // A large tensor's chunk that is not its last: the next read holds more of it.
      index = kernel === null ? group.end : group.end - 1;
    }
  } catch (e) {
    kernel?.release?.();
    throw e;
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
      next.bytes.then(release, release);
    }
  }
  return results;
}
