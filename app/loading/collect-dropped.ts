import { appendAll } from '../../core/append-all';
import type { NamedFile } from '../../workers/scan.worker';
import { isAcceptedFileName } from './accept-file';

export interface Collected {
  readonly files: NamedFile[];
  readonly ignored: string[];
}

/** Entries of the (non-standard but universal) File and Directory Entries API used by drag and drop. */
interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntryLike extends EntryLike {
  file(success: (f: File) => void, failure: (e: unknown) => void): void;
}
interface DirectoryEntryLike extends EntryLike {
  createReader(): {
    readEntries(success: (e: EntryLike[]) => void, failure: (e: unknown) => void): void;
  };
}

/**
 * A folder nested deeper than this is not followed: checkpoint folders are flat, and a drop of a
 * whole disk should not walk forever.
 */
const MAX_FOLDER_DEPTH = 8;

function relativePath(fullPath: string): string {
  return fullPath.startsWith('/') ? fullPath.slice(1) : fullPath;
}

async function readAllEntries(dir: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = dir.createReader();
  const all: EntryLike[] = [];
  // readEntries returns at most ~100 entries per call; keep calling until it returns none.
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) {
      return all;
    }
    appendAll(all, batch);
  }
}

async function walk(entry: EntryLike, depth: number, out: Collected): Promise<void> {
  if (entry.isFile) {
    const path = relativePath(entry.fullPath);
    if (!isAcceptedFileName(path)) {
      out.ignored.push(path);
      return;
    }
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileEntryLike).file(resolve, reject),
    );
    out.files.push({ name: path, file });
  } else if (entry.isDirectory && depth < MAX_FOLDER_DEPTH) {
    for (const child of await readAllEntries(entry as DirectoryEntryLike)) {
      await walk(child, depth + 1, out);
    }
  }
}

/** Files and folders from a drop, folders walked recursively; paths relative to what was dropped. */
export async function collectDropped(
  items: DataTransferItemList | null,
  files: FileList | null,
): Promise<Collected> {
  const out: Collected = { files: [], ignored: [] };
  const entries: EntryLike[] = [];
  if (items !== null) {
    for (const item of Array.from(items)) {
      const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
      if (entry !== null) {
        entries.push(entry);
      }
    }
  }
  if (entries.length > 0) {
    for (const e of entries) {
      await walk(e, 0, out);
    }
    return out;
  }
  // Synthetic drops (and some browsers) carry plain files without entries.
  return collectFileList(files);
}

/** Files from a file picker or folder picker (`webkitRelativePath` keeps the folder structure). */
export function collectFileList(files: FileList | readonly File[] | null): Collected {
  const out: Collected = { files: [], ignored: [] };
  for (const file of files === null ? [] : Array.from(files)) {
    // Not every File has webkitRelativePath (files from a drop, Node's File in tests).
    const relative: unknown = file.webkitRelativePath;
    const path = typeof relative === 'string' && relative !== '' ? relative : file.name;
    if (isAcceptedFileName(path)) {
      out.files.push({ name: path, file });
    } else {
      out.ignored.push(path);
    }
  }
  return out;
}
