import { CheckpointError, isCheckpointError } from '../format/errors';
import type { ByteSource } from '../io/byte-source';

/**
 * Reads exactly `length` bytes at `offset`, into `target` (reused across calls) when the source
 * supports `readInto`, else into a fresh array. Every failure, a short read included, becomes a
 * `ReadFailed` CheckpointError naming the file and, when given, the tensor.
 */
export async function readRange(
  source: ByteSource,
  offset: number,
  length: number,
  target: Uint8Array | null,
  tensor: string | null = null,
): Promise<Uint8Array> {
  const fail = (why: string): CheckpointError =>
    new CheckpointError(
      'ReadFailed',
      source.name,
      `could not read bytes [${offset}, ${offset + length}): ${why}`,
      tensor,
    );
  let bytes: Uint8Array;
  try {
    if (target !== null && target.length >= length && source.readInto !== undefined) {
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
    throw isCheckpointError(e) ? e : fail(e instanceof Error ? e.message : String(e));
  }
  if (bytes.length !== length) {
    throw fail(`got ${bytes.length} bytes`);
  }
  return bytes;
}

/** A reusable read buffer of up to `bytes` when the source can fill one, else null. */
export function readBuffer(source: ByteSource, bytes: number): Uint8Array | null {
  return source.readInto === undefined ? null : new Uint8Array(bytes);
}
