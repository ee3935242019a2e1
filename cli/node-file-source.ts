import {
  close,
  closeSync,
  constants,
  fstat,
  fstatSync,
  open,
  openSync,
  read,
  readSync,
} from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { promisify } from 'node:util';
import type { ByteSource } from '../core/io/byte-source';
import { FilePool, MAX_OPEN_FILES_PER_THREAD, PooledFile } from './file-pool';
import type { FileLocation } from './path-kind';
import { pathKind, specialKind, unusableReason } from './path-kind';

/**
 * A `ByteSource` over one file. Positional reads only: the file is never read whole, and
 * `readInto` lets scans reuse one buffer per chunk size. The size is taken once, so a file that
 * shrinks under us fails a read instead of yielding short data. The descriptor comes from this
 * thread's pool (`file-pool.ts`): opened at the first read, maybe closed and reopened between
 * reads, so any number of sources can exist at once.
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

/**
 * Open flags: read-only and non-blocking. Only regular files are opened (checked by stat first),
 * but a file swapped for a FIFO between the check and the open would block a blocking open until
 * a writer comes; non-blocking, the open returns and the fstat check below refuses it. Windows
 * has no O_NONBLOCK (and no FIFOs in the file system).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Sources of this thread opened by raw bytes (names that are not valid UTF-8), by their name: the
 * scan threads get the bytes with each job (`locationsOf`), since they open files by name.
 */
const byteLocations = new Map<string, Buffer>();

/** The raw-byte locations of those of `names` that have one (usually none: then undefined). */
export function locationsOf(names: readonly string[]): Record<string, Uint8Array> | undefined {
  let found: Record<string, Uint8Array> | undefined;
  for (const name of names) {
    const location = byteLocations.get(name);
    if (location !== undefined) {
      found ??= {};
      found[name] = location;
    }
  }
  return found;
}

/** Every source of this thread shares one pool of descriptors. */
const pool = new FilePool(MAX_OPEN_FILES_PER_THREAD);

const readAsync = promisify(read);
const openAsync = promisify(open);
const fstatAsync = promisify(fstat);
const closeAsync = promisify(close);

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

/**
 * Why the descriptor `fd` just opened is not the file first stat-ed (a file replaced, or swapped for
 * a FIFO, between the check and the open, or between two opens), or null when it is.
 */
function openedProblem(opened: BigIntStats, first: BigIntStats): string | null {
  if (!opened.isFile()) {
    return `is ${specialKind(opened)}, not a regular file (only regular files are read)`;
  }
  if (opened.dev !== first.dev || opened.ino !== first.ino) {
    return 'was replaced by another file while being read (did the file change?)';
  }
  return null;
}

/**
 * A source over the file at `location`, named `name`. Rejects at once when it is not a regular
 * file (a FIFO, a device, a dangling symlink or a loop: the reason says which); a file that exists
 * but cannot be opened (EACCES) fails its first read instead, like any unreadable file.
 */
export async function openNodeFileSource(
  location: FileLocation,
  name: string = location.toString(),
  mode: ReadMode = 'async',
): Promise<NodeFileSource> {
  const kind = await pathKind(location);
  if (kind.kind !== 'file') {
    throw new Error(kind.kind === 'missing' ? 'no such file (ENOENT)' : unusableReason(kind));
  }
  const first = kind.stat;
  if (typeof location !== 'string') {
    byteLocations.set(name, location);
  }
  const file = new PooledFile(
    mode === 'sync'
      ? {
          open: async () => {
            const fd = openSync(location, OPEN_FLAGS);
            const problem = openedProblem(fstatSync(fd, { bigint: true }), first);
            if (problem !== null) {
              closeSync(fd);
              throw new Error(problem);
            }
            return fd;
          },
          close: (fd) => closeSync(fd),
        }
      : {
          open: async () => {
            const fd = await openAsync(location, OPEN_FLAGS);
            const problem = openedProblem(await fstatAsync(fd, { bigint: true }), first);
            if (problem !== null) {
              await closeAsync(fd);
              throw new Error(problem);
            }
            return fd;
          },
          close: (fd) => closeSync(fd),
        },
  );
  const readAt: ReadAt =
    mode === 'sync'
      ? (target, at, length, position) =>
          // Runs on this thread; the promise only hands the result on.
          pool.use(file, async (fd) => readSync(fd, target, at, length, position))
      : (target, at, length, position) =>
          pool.use(
            file,
            async (fd) => (await readAsync(fd, target, at, length, position)).bytesRead,
          );
  return {
    name,
    size: Number(first.size),
    async read(offset: number, length: number): Promise<Uint8Array> {
      const target = new Uint8Array(length);
      await readFully(name, readAt, offset, target);
      return target;
    },
    readInto: (offset, target) => readFully(name, readAt, offset, target),
    close: async () => pool.close(file),
  };
}

/** Descriptors this thread's sources hold open now (for tests of the bound). */
export function openDescriptorCount(): number {
  return pool.openCount;
}
