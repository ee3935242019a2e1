import type { BigIntStats } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What `repair` may replace. It never replaces what it did not create unless told to:
 *
 * - an existing OUT (or manifest) is refused unless `--force`;
 * - a file of the checkpoint being repaired is refused even with `--force`. The checkpoint's files
 *   are every entry of its folders: the folder holding IN (IN itself when it is a folder) and the
 *   real folder of every input file (for a Hugging Face cache snapshot, `../../blobs/`). Shards,
 *   the index, config.json, the tokenizer and the README all live there; a repair writes new files
 *   beside them under new names, never over one of them;
 * - a symlink is refused even with `--force`: a rename over it would replace the link (as root,
 *   `-o /dev/stdout` replaced the system's link), and writing through it would change its target
 *   (a blob of the cache, shared by every snapshot);
 * - anything but a regular file (a folder, a FIFO, a device) is refused.
 */
export interface OverwriteGuard {
  readonly force: boolean;
  /** Folders whose files belong to the checkpoint (compared by device and inode). */
  readonly checkpointFolders: readonly BigIntStats[];
}

async function statOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await stat(path, { bigint: true });
  } catch {
    return null;
  }
}

async function lstatOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await lstat(path, { bigint: true });
  } catch {
    return null;
  }
}

/** The checkpoint folders of a repair: `inputFolder` and the real folder of each input file. */
export async function checkpointFolders(
  inputFolder: string,
  inputFiles: readonly string[],
): Promise<BigIntStats[]> {
  const folders: BigIntStats[] = [];
  const add = (s: BigIntStats | null): void => {
    if (s !== null && !folders.some((f) => f.dev === s.dev && f.ino === s.ino)) {
      folders.push(s);
    }
  };
  add(await statOrNull(inputFolder));
  for (const file of inputFiles) {
    try {
      add(await statOrNull(dirname(await realpath(file))));
    } catch {
      // Unresolvable: the input's own check reports it.
    }
  }
  return folders;
}

/**
 * Why `target` (which `what` names: "OUT", "--manifest") may not be written, or null when it may:
 * it does not exist, or it is a regular file outside the checkpoint and `--force` was given.
 */
export async function overwriteProblem(
  target: string,
  what: string,
  guard: OverwriteGuard,
): Promise<string | null> {
  const link = await lstatOrNull(target);
  if (link === null) {
    return null;
  }
  if (link.isSymbolicLink()) {
    const to = await readlink(target).catch(() => '?');
    return `refusing to write ${what} ${target}: it is a symbolic link (to ${to}); repair never replaces a link nor writes through one, even with --force`;
  }
  if (!link.isFile()) {
    return `${target} exists and is not a regular file`;
  }
  const folder = await statOrNull(dirname(target));
  if (
    folder !== null &&
    guard.checkpointFolders.some((f) => f.dev === folder.dev && f.ino === folder.ino)
  ) {
    return `refusing to replace ${target}: it is a file of the checkpoint being repaired (repair never replaces a checkpoint's files, even with --force)`;
  }
  if (!guard.force) {
    return `refusing to replace ${target}: it exists (repair never replaces a file it did not create; add --force to replace it)`;
  }
  return null;
}

/**
 * The same rules at the last moment, just before the rename: a file that appeared at `target`
 * since the plan (without `--force`), or a link put there, is refused rather than replaced.
 */
export async function replaceProblem(target: string, force: boolean): Promise<string | null> {
  const link = await lstatOrNull(target);
  if (link === null) {
    return null;
  }
  if (!link.isFile()) {
    return `${target} is now ${link.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; nothing replaced`;
  }
  return force ? null : `${target} appeared while the repair was written; nothing replaced`;
}
