import { dtypeGroup } from '../dtype/dtype';
import { CheckpointError, isCheckpointError } from '../format/errors';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { createKernel } from './create-kernel';
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

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads one chunk through the source, turning every failure into a `ReadFailed` CheckpointError. */
async function readChunk(
  source: ByteSource,
  tensor: TensorInfo,
  offset: number,
  target: Uint8Array | null,
  length: number,
): Promise<Uint8Array> {
  const fail = (why: string): CheckpointError =>
    new CheckpointError(
      'ReadFailed',
      source.name,
      `could not read bytes [${offset}, ${offset + length}): ${why}`,
      tensor.name,
    );
  let bytes: Uint8Array;
  try {
    if (target !== null && source.readInto !== undefined) {
      const into = target.subarray(0, length);
      const n = await source.readInto(offset, into);
      if (n !== length) {
        throw fail(`got ${n} bytes`);
      }
      bytes = into;
    } else {
      bytes = await source.read(offset, length);
    }
  } catch (e) {
    throw isCheckpointError(e) ? e : fail(describe(e));
  }
  if (bytes.length !== length) {
    throw fail(`got ${bytes.length} bytes`);
  }
  return bytes;
}

/**
 * Streams one tensor's bytes through its scan kernel, chunk by chunk (never the whole tensor at
 * once), reusing one buffer when the source supports `readInto`. Rejects with a CheckpointError:
 * `Cancelled` when `options.signal` is aborted between chunks, `ReadFailed` when a read fails.
 */
export async function scanTensor(
  source: ByteSource,
  tensor: TensorInfo,
  options: ScanOptions = {},
): Promise<TensorStats> {
  const chunkBytes = effectiveChunkBytes(tensor, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const kernel = createKernel(tensor);
  const { elements: groupElements, bytes: groupBytes } = dtypeGroup(tensor.dtype);
  const buffer =
    source.readInto === undefined ? null : new Uint8Array(Math.min(chunkBytes, tensor.nbytes));
  let done = 0;
  while (done < tensor.nbytes) {
    if (options.signal?.aborted === true) {
      throw new CheckpointError('Cancelled', source.name, 'scan cancelled', tensor.name);
    }
    const length = Math.min(chunkBytes, tensor.nbytes - done);
    const chunk = await readChunk(source, tensor, tensor.offset + done, buffer, length);
    kernel.update(chunk, (done / groupBytes) * groupElements);
    done += length;
    options.onProgress?.(done);
  }
  return kernel.finish();
}

/** Options of `scanTensors`; `onProgress` reports bytes of the tensor being scanned, as in `scanTensor`. */
export interface ScanTensorsOptions extends ScanOptions {
  /** Called with each tensor's stats as soon as it is done, and its index in `tensors`. */
  readonly onTensor?: (stats: TensorStats, index: number) => void;
}

/** Scans `tensors` one after another, in the order given (see `orderForScan`). */
export async function scanTensors(
  source: ByteSource,
  tensors: readonly TensorInfo[],
  options: ScanTensorsOptions = {},
): Promise<TensorStats[]> {
  const results: TensorStats[] = [];
  for (const [index, tensor] of tensors.entries()) {
    const stats = await scanTensor(source, tensor, options);
    options.onTensor?.(stats, index);
    results.push(stats);
  }
  return results;
}
