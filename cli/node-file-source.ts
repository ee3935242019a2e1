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

export async function openNodeFileSource(
  path: string,
  name: string = path,
): Promise<NodeFileSource> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  const readFully = async (offset: number, target: Uint8Array): Promise<number> => {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await handle.read(target, done, target.length - done, offset + done);
      if (bytesRead === 0) {
        throw new RangeError(
          `${name}: unexpected end of file at byte ${offset + done} (did the file change?)`,
        );
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
