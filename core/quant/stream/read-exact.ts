import { CheckpointError } from '../../format/errors';
import type { TensorInfo } from '../../format/tensor-info';
import type { ByteSource } from '../../io/byte-source';
import { readRange } from '../../io/read-range';

/** What every streamed quantization pass accepts. */
export interface StreamOptions {
  /** Bytes per read and the soft bound of every buffer a pass keeps (default 8 MiB). */
  readonly chunkBytes?: number;
  /** Checked between reads; an aborted pass rejects with a `Cancelled` CheckpointError. */
  readonly signal?: { readonly aborted: boolean };
}

/** Same default as the plain scan: large enough to amortise reads, small enough to keep memory flat. */
export const DEFAULT_QUANT_CHUNK_BYTES = 8 * 1024 * 1024;

/** The sources of a checkpoint by file name (`SafetensorsHeader.fileName`, i.e. `ByteSource.name`). */
export type SourceMap = ReadonlyMap<string, ByteSource>;

/** Builds a SourceMap from sources. */
export function sourceMap(sources: readonly ByteSource[]): SourceMap {
  return new Map(sources.map((s) => [s.name, s]));
}

export function sourceFor(sources: SourceMap, file: string, tensor: string): ByteSource {
  const source = sources.get(file);
  if (source === undefined) {
    throw new CheckpointError('ReadFailed', file, 'no source was given for this file', tensor);
  }
  return source;
}

export function throwIfCancelled(options: StreamOptions, file: string, tensor: string): void {
  if (options.signal?.aborted === true) {
    throw new CheckpointError('Cancelled', file, 'analysis cancelled', tensor);
  }
}

/**
 * Reads bytes [start, start + length) of a tensor's data (offsets relative to the tensor), turning
 * every failure into a `ReadFailed` CheckpointError.
 */
export async function readTensorBytes(
  source: ByteSource,
  tensor: TensorInfo,
  start: number,
  length: number,
): Promise<Uint8Array> {
  const offset = tensor.offset + start;
  const fail = (why: string): CheckpointError =>
    new CheckpointError(
      'ReadFailed',
      source.name,
      `could not read bytes [${offset}, ${offset + length}): ${why}`,
      tensor.name,
    );
  if (start < 0 || length < 0 || start + length > tensor.nbytes) {
    throw fail(`outside the tensor's ${tensor.nbytes} bytes`);
  }
  return readRange(source, offset, length, null, tensor.name);
}
