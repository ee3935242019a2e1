import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CheckpointError } from '../format/errors';
import type { ByteSource } from '../io/byte-source';
import { DEFAULT_CHUNK_BYTES } from '../scan/scan-tensor';
import { readBuffer, readRange } from '../io/read-range';

export interface Sha256Options {
  /** Bytes per read; tests inject tiny values. */
  readonly chunkBytes?: number;
  /** Called after each chunk with bytes hashed so far and the source's size. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Checked between chunks; a cancelled hash rejects with code `Cancelled`. */
  readonly signal?: { readonly aborted: boolean };
}

/**
 * SHA-256 of a whole source as lower-case hex, streamed chunk by chunk (memory stays at one chunk).
 * Comparable with the Hub's LFS `sha256` oid. Rejects with a CheckpointError (`ReadFailed`,
 * `Cancelled`).
 */
export async function sha256OfSource(
  source: ByteSource,
  options: Sha256Options = {},
): Promise<string> {
  const chunkBytes = Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  if (!Number.isFinite(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`chunkBytes must be a positive number, got ${options.chunkBytes}`);
  }
  const hash = sha256.create();
  const buffer = readBuffer(source, Math.min(chunkBytes, source.size));
  for (let done = 0; done < source.size;) {
    if (options.signal?.aborted === true) {
      throw new CheckpointError('Cancelled', source.name, 'hashing cancelled');
    }
    const length = Math.min(chunkBytes, source.size - done);
    hash.update(await readRange(source, done, length, buffer));
    done += length;
    options.onProgress?.(done, source.size);
  }
  return bytesToHex(hash.digest());
}
