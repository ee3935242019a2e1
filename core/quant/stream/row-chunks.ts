import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import type { StreamOptions } from './read-exact';
import { DEFAULT_QUANT_CHUNK_BYTES, readTensorBytes, throwIfCancelled } from './read-exact';

/** The chunk size a pass uses: the caller's, else the default. */
export function chunkBytesOf(options: StreamOptions): number {
  const n = options.chunkBytes ?? DEFAULT_QUANT_CHUNK_BYTES;
  if (!Number.isFinite(n) || n <= 0) {
    throw new RangeError(`chunkBytes must be a positive number, got ${n}`);
  }
  return n;
}

/**
 * Streams a tensor as whole rows of `rowBytes` bytes, at most `chunkBytes` per read (at least one
 * row), calling `visit` with each chunk and the index of its first row. Never holds more than one
 * chunk.
 */
export async function forEachRowChunk(
  source: ByteSource,
  tensor: TensorInfo,
  rowBytes: number,
  options: StreamOptions,
  visit: (bytes: Uint8Array, firstRow: number, rows: number) => Promise<void> | void,
): Promise<void> {
  if (rowBytes <= 0 || tensor.nbytes % rowBytes !== 0) {
    throw new RangeError(
      `${tensor.name}: ${tensor.nbytes} bytes are not whole ${rowBytes}-byte rows`,
    );
  }
  const totalRows = tensor.nbytes / rowBytes;
  const perChunk = Math.max(1, Math.floor(chunkBytesOf(options) / rowBytes));
  for (let row = 0; row < totalRows; row += perChunk) {
    throwIfCancelled(options, source.name, tensor.name);
    const rows = Math.min(perChunk, totalRows - row);
    const bytes = await readTensorBytes(source, tensor, row * rowBytes, rows * rowBytes);
    await visit(bytes, row, rows);
  }
}
