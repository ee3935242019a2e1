import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ByteSource } from '../core/io/byte-source';
import type { RepairPart } from '../core/repair/repair-parts';
import type { Result } from '../core/result';
import { err, ok } from '../core/result';
import { replaceProblem } from './repair-overwrite';
import { trackTempFile, untrackTempFile } from './temp-files';

/** rw-r--r-- (before the umask) for manifests. */
const TEXT_FILE_MODE = 0o644;
/**
 * Test hook: milliseconds to wait after each written window, so that a test can signal a repair
 * while its temporary file is half-written (`repair-signals.test.ts`). Unset in real use.
 */
export const TEST_WRITE_PAUSE_ENV = 'CKPTSCOPE_TEST_WRITE_PAUSE_MS';

function testWritePauseMs(): number {
  const value = Number(process.env[TEST_WRITE_PAUSE_ENV] ?? '0');
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Random bytes in a temporary file's name, so concurrent runs never collide. */
const TEMP_NAME_RANDOM_BYTES = 6;

export interface WriteRepairedOptions {
  readonly chunkBytes: number;
  /** Permission bits of the new file (the input's). */
  readonly mode: number;
  /** Called with each count of bytes written. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Runs on the complete, fsynced temporary file before the rename; a message fails the write. The
   * target is then never created and the temporary file is removed.
   */
  readonly check: (tempPath: string) => Promise<string | null>;
  /**
   * `--force`: an existing regular file at `target` may be replaced. Without it, a file that
   * appeared there meanwhile is refused; a link or anything but a regular file always is.
   */
  readonly force?: boolean;
}

/** A hidden sibling of `target`: same folder (so the rename is atomic), never a name in use. */
export function tempPathFor(target: string): string {
  const random = randomBytes(TEMP_NAME_RANDOM_BYTES).toString('hex');
  return join(dirname(target), `.${basename(target)}.ckptscope-${process.pid}-${random}.tmp`);
}

/**
 * Writes `parts` (ranges of `source` and patched bytes) to a temporary file beside `target`, fsyncs
 * it, runs `check`, then renames it over `target` and fsyncs the folder. On any failure the
 * temporary file is removed and the message returned; `target` is left as it was.
 */
export async function writeRepaired(
  source: ByteSource,
  parts: readonly RepairPart[],
  target: string,
  options: WriteRepairedOptions,
): Promise<Result<void, string>> {
  const temp = tempPathFor(target);
  trackTempFile(temp);
  let handle: FileHandle | null = null;
  try {
    handle = await open(temp, 'wx', options.mode);
    await writeParts(handle, source, parts, options);
    await handle.sync();
    await handle.close();
    handle = null;
    const problem =
      (await options.check(temp)) ?? (await replaceProblem(target, options.force === true));
    if (problem !== null) {
      await rm(temp, { force: true });
      return err(problem);
    }
    await rename(temp, target);
    await syncFolder(dirname(target));
    return ok(undefined);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    return err(`could not write ${target}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    untrackTempFile(temp);
  }
}

/**
 * Writes the parts window by window: each window of the output is the input's same range (one
 * read, when a source part reaches into it) with the patched bytes copied over it, then one write.
 * Parts keep their offsets (a repair never moves a byte), so reads and writes are per window, not
 * per part: a million scattered NaN bytes are two million parts, and a read and a write for each
 * took 140 s (measured); memory stays one window.
 */
async function writeParts(
  handle: FileHandle,
  source: ByteSource,
  parts: readonly RepairPart[],
  options: WriteRepairedOptions,
): Promise<void> {
  const last = parts.at(-1);
  const total = last === undefined ? 0 : partEnd(last);
  const buffer = new Uint8Array(Math.max(1, Math.min(options.chunkBytes, total)));
  const pauseMs = testWritePauseMs();
  let first = 0;
  for (let at = 0; at < total; at += buffer.length) {
    const end = Math.min(total, at + buffer.length);
    const window = buffer.subarray(0, end - at);
    // Parts before `first` end at or before `at`.
    while (first < parts.length && partEnd(parts[first]) <= at) {
      first++;
    }
    let k = first;
    let fromSource = false;
    for (; k < parts.length && partStart(parts[k]) < end; k++) {
      fromSource ||= parts[k].kind === 'source';
    }
    if (fromSource) {
      const read = await readChunk(source, at, window);
      if (read.buffer !== window.buffer || read.byteOffset !== window.byteOffset) {
        window.set(read);
      }
    }
    for (let j = first; j < k; j++) {
      const part = parts[j];
      if (part.kind === 'bytes') {
        const from = Math.max(at, part.offset);
        const to = Math.min(end, part.offset + part.bytes.length);
        window.set(part.bytes.subarray(from - part.offset, to - part.offset), from - at);
      }
    }
    await writeAll(handle, window, at);
    options.onBytes?.(window.length);
    if (pauseMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

function partStart(part: RepairPart): number {
  return part.kind === 'source' ? part.start : part.offset;
}

function partEnd(part: RepairPart): number {
  return part.kind === 'source' ? part.end : part.offset + part.bytes.length;
}

/** Reads `target.length` bytes at `at`, into `target` when the source can, else into a new array. */
async function readChunk(source: ByteSource, at: number, target: Uint8Array): Promise<Uint8Array> {
  const chunk =
    source.readInto === undefined
      ? await source.read(at, target.length)
      : target.subarray(0, await source.readInto(at, target));
  if (chunk.length !== target.length) {
    throw new RangeError(`short read at byte ${at} of ${source.name}`);
  }
  return chunk;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes the rename durable; best effort (not every platform can fsync a folder). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Windows cannot open a folder for fsync; the rename itself is still atomic there.
  }
}

/** Writes a small text file (a manifest) the same way: temporary sibling, fsync, rename. */
export async function writeTextFileAtomic(
  target: string,
  text: string,
  force = false,
): Promise<Result<void, string>> {
  const bytes = new TextEncoder().encode(text);
  const parts: RepairPart[] = [{ kind: 'bytes', offset: 0, bytes }];
  const none: ByteSource = {
    name: target,
    size: 0,
    read: () => Promise.reject(new RangeError('no source bytes')),
  };
  return writeRepaired(none, parts, target, {
    chunkBytes: 1,
    mode: TEXT_FILE_MODE,
    check: () => Promise.resolve(null),
    force,
  });
}
