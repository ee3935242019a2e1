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

function endOfFile(name: string, at: number): RangeError {
  return new RangeError(`${name}: unexpected end of file at byte ${at} (did the file change?)`);
}

export async function openNodeFileSource(
  path: string,
  name: string = path,
  mode: ReadMode = 'async',
): Promise<NodeFileSource> {
  return mode === 'sync' ? openSyncSource(path, name) : openAsyncSource(path, name);
}

async function openAsyncSource(path: string, name: string): Promise<NodeFileSource> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  const readFully = async (offset: number, target: Uint8Array): Promise<number> => {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await handle.read(target, done, target.length - done, offset + done);
      if (bytesRead === 0) {
        throw endOfFile(name, offset + done);
      }
      done += bytesRead;
    }
    return done;
  };
  return {
    name,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const target = new Uint8Array(length);
      await readFully(offset, target);
      return target;
    },
    readInto: readFully,
    close: () => handle.close(),
  };
}

function openSyncSource(path: string, name: string): NodeFileSource {
  const fd = openSync(path, 'r');
  const { size } = fstatSync(fd);
  let closed = false;
  const readFully = (offset: number, target: Uint8Array): number => {
    let done = 0;
    while (done < target.length) {
      const bytesRead = readSync(fd, target, done, target.length - done, offset + done);
      if (bytesRead === 0) {
        throw endOfFile(name, offset + done);
      }
      done += bytesRead;
    }
    return done;
  };
  return {
    name,
    size,
    read(offset: number, length: number): Promise<Uint8Array> {
      try {
        const target = new Uint8Array(length);
        readFully(offset, target);
        return Promise.resolve(target);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    readInto(offset: number, target: Uint8Array): Promise<number> {
      try {
        return Promise.resolve(readFully(offset, target));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
      return Promise.resolve();
    },
  };
}
