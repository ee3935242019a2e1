import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../core/io/byte-source';

/**
 * A `ByteSource` over one open file handle. Positional reads only: the file is never read whole,
 * and `readInto` lets scans reuse one buffer per chunk size. The size is taken once at open, so a
 * file that shrinks under us fails a read instead of yielding short data.
 */
export interface NodeFileSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * How reads wait. `async` goes through libuv's thread pool, so a read-ahead overlaps the caller's
 * compute: right for one thread. `sync` reads on the calling thread: right for scan worker threads,
 * where the page-cache copy is CPU work anyway and the pool's hop (plus its threads competing for
 * the same cores) left each thread idle a quarter of the time in the bench.
 */
export type ReadMode = 'async' | 'sync';

/** Reads up to `length` bytes at `position` into `target` at `at`; how many came (0 at the end). */
type ReadAt = (target: Uint8Array, at: number, length: number, position: number) => Promise<number>;

/** Fills `target` from `offset` on, read after read; a file that ended early is an error. */
async function readFully(
  name: string,
  readAt: ReadAt,
  offset: number,
  target: Uint8Array,
): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const bytesRead = await readAt(target, done, target.length - done, offset + done);
    if (bytesRead === 0) {
      throw new RangeError(
        `${name}: unexpected end of file at byte ${offset + done} (did the file change?)`,
      );
    }
    done += bytesRead;
  }
  return done;
}

export async function openNodeFileSource(
  path: string,
  name: string = path,
  mode: ReadMode = 'async',
): Promise<NodeFileSource> {
  let size: number;
  let readAt: ReadAt;
  let close: () => Promise<void>;
  if (mode === 'sync') {
    const fd = openSync(path, 'r');
    size = fstatSync(fd).size;
    // Runs on this thread; the promise only hands the result on.
    readAt = async (target, at, length, position) => readSync(fd, target, at, length, position);
    let closed = false;
    close = async () => {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
    };
  } else {
    const handle: FileHandle = await open(path, 'r');
    size = (await handle.stat()).size;
    readAt = async (target, at, length, position) =>
      (await handle.read(target, at, length, position)).bytesRead;
    close = () => handle.close();
  }
  return {
    name,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const target = new Uint8Array(length);
      await readFully(name, readAt, offset, target);
      return target;
    },
    readInto: (offset, target) => readFully(name, readAt, offset, target),
    close,
  };
}
