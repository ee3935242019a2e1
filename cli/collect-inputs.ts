import { readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { appendAll } from '../core/append-all';
import { CheckpointError } from '../core/format/errors';
import type { FileLocation, PathKind } from './path-kind';
import { pathKind, unusableReason } from './path-kind';

/**
 * One file to open: `path` is how the user will see it named, relative to what they typed;
 * `location` is how to open it (the raw bytes of a name that is not valid UTF-8, which `path`
 * names lossily with U+FFFD).
 */
export interface InputFile {
  readonly path: string;
  readonly location: FileLocation;
}

/** Files that belong to one checkpoint (one PATH argument, or the loose files given together). */
export interface InputGroup {
  readonly label: string;
  readonly files: readonly InputFile[];
}

export interface UsageProblem {
  readonly path: string;
  readonly message: string;
}

/** What the PATH arguments hold: groups to scan, wrong arguments, and files that cannot be read. */
export interface CollectedInputs {
  readonly groups: InputGroup[];
  readonly problems: UsageProblem[];
  /**
   * Paths that exist but cannot be read (`ReadFailed`): an unreadable folder, a FIFO, socket or
   * device, a dangling symlink, a symlink loop. Each is an error of the report; the rest is scanned.
   */
  readonly errors: CheckpointError[];
}

/** Lists a folder's entry names as raw bytes (a seam for tests: an EACCES needs a non-root user). */
export type ListFolder = (folder: string) => Promise<Buffer[]>;

const listFolderBytes: ListFolder = (folder) => readdir(folder, { encoding: 'buffer' });

/** The companion files a checkpoint folder may hold besides its shards. */
const CONFIG_FILE_NAMES: ReadonlySet<string> = new Set(['config.json', 'hf_quant_config.json']);
const SAFETENSORS_SUFFIX = '.safetensors';
const INDEX_SUFFIX = '.safetensors.index.json';

export function isCheckpointFileName(name: string): boolean {
  return (
    name.endsWith(SAFETENSORS_SUFFIX) || name.endsWith(INDEX_SUFFIX) || CONFIG_FILE_NAMES.has(name)
  );
}

/** A regular file found, with its identity (device and inode: the same file by any path). */
interface FoundFile extends InputFile {
  readonly identity: string;
}

/**
 * Expands the PATH arguments of `scan`: a folder gives its .safetensors files, index and configs
 * (not recursively: a sub-folder is another checkpoint); an index gives itself, the configs beside it
 * and the shards beside it (the index check then reports shards it names that are missing, and
 * shards it does not name); loose .safetensors files given together form one group.
 *
 * Symlinks to files are followed (a Hugging Face cache snapshot is nothing but symlinks into
 * `../../blobs/`): the file is named by the link's path and opened through it. A dangling link, a
 * loop, a FIFO/socket/device and an unreadable folder are errors naming the path, never opened.
 * The same file (device and inode) is scanned once: a group whose files were all collected already
 * is dropped, and a loose file already in a group (or given twice) is skipped.
 */
export async function collectInputs(
  paths: readonly string[],
  listFolder: ListFolder = listFolderBytes,
): Promise<CollectedInputs> {
  const groups: InputGroup[] = [];
  const problems: UsageProblem[] = [];
  const errors: CheckpointError[] = [];
  const loose: FoundFile[] = [];
  const seen = new Set<string>();
  const addGroup = (label: string, files: readonly FoundFile[]): void => {
    if (files.length > 0 && files.every((f) => seen.has(f.identity))) {
      return;
    }
    // Within a group, a second name of the same file (a link beside its target) is skipped.
    const inGroup = new Set<string>();
    const kept: InputFile[] = [];
    for (const { path, location, identity } of files) {
      if (!inGroup.has(identity)) {
        inGroup.add(identity);
        seen.add(identity);
        kept.push({ path, location });
      }
    }
    groups.push({ label, files: kept });
  };
  for (const path of paths) {
    const kind = await pathKind(path);
    switch (kind.kind) {
      case 'missing':
        problems.push({ path, message: `${path}: no such file or folder` });
        break;
      case 'special':
      case 'dangling-link':
      case 'link-loop':
      case 'unreadable':
        errors.push(new CheckpointError('ReadFailed', path, unusableReason(kind)));
        break;
      case 'folder': {
        const errorsBefore = errors.length;
        const listed = await checkpointFilesIn(path, listFolder, errors);
        if (listed === null) {
          break;
        }
        if (listed.some((f) => f.path.endsWith(SAFETENSORS_SUFFIX))) {
          addGroup(path, listed);
        } else if (errors.length === errorsBefore) {
          // (When some entries could not be read, their errors already say why.)
          problems.push({ path, message: `${path}: the folder holds no .safetensors file` });
        }
        break;
      }
      case 'file': {
        const file: FoundFile = { path, location: path, identity: identityOf(kind) };
        if (path.endsWith(INDEX_SUFFIX)) {
          const siblings = (await checkpointFilesIn(dirname(path), listFolder, errors)) ?? [];
          const others = siblings.filter((f) => !f.path.endsWith(INDEX_SUFFIX));
          addGroup(path, [file, ...others]);
        } else if (path.endsWith(SAFETENSORS_SUFFIX) || CONFIG_FILE_NAMES.has(basename(path))) {
          loose.push(file);
        } else {
          problems.push({
            path,
            message: `${path}: not a .safetensors file, a model.safetensors.index.json or a folder`,
          });
        }
        break;
      }
    }
  }
  const looseKept: FoundFile[] = [];
  for (const f of loose) {
    if (!seen.has(f.identity)) {
      seen.add(f.identity);
      looseKept.push(f);
    }
  }
  if (looseKept.length > 0) {
    groups.push({
      label: looseKept.length === 1 ? looseKept[0].path : 'files',
      files: looseKept.map(({ path, location }) => ({ path, location })),
    });
  }
  // A path named twice (by itself and through its folder) is reported once.
  const reported = new Set<string>();
  const unique: CheckpointError[] = [];
  for (const e of errors) {
    if (!reported.has(e.message)) {
      reported.add(e.message);
      unique.push(e);
    }
  }
  return { groups, problems, errors: unique };
}

function identityOf(kind: Extract<PathKind, { kind: 'file' }>): string {
  return `${kind.stat.dev}:${kind.stat.ino}`;
}

/**
 * The checkpoint files of `folder`, sorted by name: regular files, or symlinks to them. Entries
 * named like checkpoint files that cannot be read are added to `errors`; null (and an error) when
 * the folder itself cannot be listed.
 */
async function checkpointFilesIn(
  folder: string,
  listFolder: ListFolder,
  errors: CheckpointError[],
): Promise<FoundFile[] | null> {
  let names: Buffer[];
  try {
    names = await listFolder(folder);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    errors.push(new CheckpointError('ReadFailed', folder, `cannot list the folder: ${reason}`));
    return null;
  }
  const entries = names
    .map((raw) => ({ raw, name: raw.toString('utf8') }))
    .filter((e) => isCheckpointFileName(e.name))
    .sort((a, b) => Buffer.compare(a.raw, b.raw));
  const found: FoundFile[] = [];
  const entryErrors: CheckpointError[] = [];
  for (const { raw, name } of entries) {
    const path = join(folder, name);
    // A name that is not valid UTF-8 decodes lossily: open it by its bytes.
    const location = Buffer.from(name, 'utf8').equals(raw)
      ? path
      : Buffer.concat([Buffer.from(join(folder, sep), 'utf8'), raw]);
    const kind = await pathKind(location);
    if (kind.kind === 'file') {
      found.push({ path, location, identity: identityOf(kind) });
    } else if (kind.kind !== 'folder' && kind.kind !== 'missing') {
      // A folder is another checkpoint; an entry gone since the listing is simply not there.
      entryErrors.push(new CheckpointError('ReadFailed', path, unusableReason(kind)));
    }
  }
  appendAll(errors, entryErrors);
  return found;
}
