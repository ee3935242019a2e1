import { dtypeBits, dtypeGroup } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import type { StreamOptions } from '../quant/stream/read-exact';
import { readTensorBytes, throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import { decodeFloats } from './fast-decode';

/**
 * A run of consecutive values of one side of a pair: `values[k]` is element `start + k` in the
 * pair's element order. `alt` (same indices) is the FP4 nibble-swapped reading when asked for.
 * A block stays valid until the stream's next `next()`.
 */
export interface ValueBlock {
  readonly start: number;
  readonly values: Float64Array;
  readonly alt: Float64Array | null;
}

/** Pull-based, block by block; `close` ends it early (an error or a cancel on the other side). */
export interface ValueStream {
  next(): Promise<ValueBlock | null>;
  close(): Promise<void>;
}

/** Values of a plain tensor in its own row-major order, one chunk per block. */
export function plainStream(
  source: ByteSource,
  tensor: TensorInfo,
  options: StreamOptions,
): ValueStream {
  const group = dtypeGroup(tensor.dtype);
  const groupsPerChunk = Math.max(1, Math.floor(chunkBytesOf(options) / group.bytes));
  const elementsPerChunk = groupsPerChunk * group.elements;
  let next = 0;
  let out: Float64Array | null = null;
  /** The read of the chunk at `next`, started while the caller works on the previous one. */
  let ahead: Promise<Uint8Array> | null = null;
  const read = (first: number): Promise<Uint8Array> => {
    const count = Math.min(elementsPerChunk, tensor.elements - first);
    const at = (first / group.elements) * group.bytes;
    const length = Math.min(Math.ceil(count / group.elements) * group.bytes, tensor.nbytes - at);
    return readTensorBytes(source, tensor, at, length);
  };
  return {
    async next() {
      if (next >= tensor.elements) {
        return null;
      }
      throwIfCancelled(options, source.name, tensor.name);
      const count = Math.min(elementsPerChunk, tensor.elements - next);
      const bytes = await (ahead ?? read(next));
      ahead = next + count < tensor.elements ? read(next + count) : null;
      // A read ahead that is never awaited (the walk stopped) must not reject unhandled.
      ahead?.catch(() => undefined);
      out ??= new Float64Array(Math.min(elementsPerChunk, tensor.elements));
      const values = out.subarray(0, count);
      decodeFloats(tensor.dtype, bytes, count, values);
      const block = { start: next, values, alt: null };
      next += count;
      return block;
    },
    async close() {
      ahead = null;
    },
  };
}

/**
 * Values of a plain tensor [...L, R, C] in the order of its transpose [...L, C, R] (how AWQ/GPTQ
 * and gpt-oss lay out the same weight): blocks of whole transposed rows, each read as R strips of
 * the columns it covers, so memory stays one chunk whatever the tensor's size.
 */
export function transposedStream(
  source: ByteSource,
  tensor: TensorInfo,
  options: StreamOptions,
): ValueStream {
  const shape = tensor.shape;
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const slices = tensor.elements / (rows * cols);
  const bytesPer = dtypeBits(tensor.dtype) / 8;
  const perBlock = Math.max(1, Math.floor(chunkBytesOf(options) / bytesPer / rows));
  let slice = 0;
  let col = 0;
  let out: Float64Array | null = null;
  let strip = new Float64Array(0);
  return {
    async next() {
      if (slice >= slices || rows === 0 || cols === 0) {
        return null;
      }
      throwIfCancelled(options, source.name, tensor.name);
      const k = Math.min(perBlock, cols - col);
      if (out === null || out.length < k * rows) {
        out = new Float64Array(Math.min(perBlock, cols) * rows);
      }
      if (strip.length < k) {
        strip = new Float64Array(Math.min(perBlock, cols));
      }
      for (let r = 0; r < rows; r++) {
        const first = (slice * rows + r) * cols + col;
        const bytes = await readTensorBytes(source, tensor, first * bytesPer, k * bytesPer);
        decodeFloats(tensor.dtype, bytes, k, strip);
        for (let j = 0; j < k; j++) {
          out[j * rows + r] = strip[j];
        }
      }
      const block = {
        start: (slice * cols + col) * rows,
        values: out.subarray(0, k * rows),
        alt: null,
      };
      col += k;
      if (col >= cols) {
        col = 0;
        slice++;
      }
      return block;
    },
    async close() {},
  };
}

/** Whether a dtype can be read in element strips (whole bytes per element). */
export function byteAddressable(tensor: TensorInfo): boolean {
  return dtypeBits(tensor.dtype) % 8 === 0;
}
