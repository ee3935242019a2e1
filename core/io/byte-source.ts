/**
 * Random access to the bytes of one file, whatever holds it: a browser `File`, a Node file handle,
 * an in-memory buffer in tests. Nothing in core ever asks for the whole file at once.
 */
export interface ByteSource {
  /** The file's name as the user knows it (a basename, or a path relative to the dropped folder). */
  readonly name: string;
  readonly size: number;
  /**
   * Reads `length` bytes at `offset`. Resolves with exactly `length` bytes or rejects; a short read
   * (a file that shrank under us) is an error, never a silently shorter array.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional fast path: fills `target` from `offset` and resolves with the bytes read. Sources that
   * can reuse a caller's buffer (Node file handles) implement it so scans allocate once per chunk size.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
}

/** A `ByteSource` over bytes already in memory: tests, fixtures, small generated files. */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      if (offset < 0 || length < 0 || offset + length > bytes.length) {
        return Promise.reject(
          new RangeError(`${name}: read [${offset}, +${length}) past end ${bytes.length}`),
        );
      }
      return Promise.resolve(bytes.slice(offset, offset + length));
    },
  };
}

/** The part of a DOM `Blob` that core needs; keeps `core` free of the DOM library. */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A `ByteSource` over a browser `File`/`Blob` (or Node's `Blob` from `fs.openAsBlob`). */
export function blobSource(name: string, blob: BlobLike): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const buffer = await blob.slice(offset, offset + length).arrayBuffer();
      if (buffer.byteLength !== length) {
        throw new RangeError(
          `${name}: asked for ${length} bytes at ${offset}, got ${buffer.byteLength} (did the file change?)`,
        );
      }
      return new Uint8Array(buffer);
    },
  };
}
