import type { BigIntStats } from 'node:fs';
import { lstat, readlink, stat } from 'node:fs/promises';
import { assertUnreachable } from '../core/dtype/dtype';

/** Where a file lives: a path string, or its raw bytes when the name is not valid UTF-8. */
export type FileLocation = string | Buffer;

/**
 * What a path is, symlinks followed (a Hugging Face cache snapshot is all symlinks into
 * `../../blobs/`): a regular file or a folder to read, or the reason it cannot be read.
 */
export type PathKind =
  | { readonly kind: 'file'; readonly stat: BigIntStats }
  | { readonly kind: 'folder'; readonly stat: BigIntStats }
  /** A FIFO, socket or device: never opened (opening a FIFO blocks until a writer comes). */
  | { readonly kind: 'special'; readonly what: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'dangling-link'; readonly target: string }
  | { readonly kind: 'link-loop' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** The kind of a non-regular, non-folder file, in words. */
export function specialKind(s: BigIntStats): string {
  if (s.isFIFO()) {
    return 'a FIFO';
  }
  if (s.isSocket()) {
    return 'a socket';
  }
  if (s.isCharacterDevice()) {
    return 'a character device';
  }
  if (s.isBlockDevice()) {
    return 'a block device';
  }
  return 'not a regular file';
}

function errorCode(e: unknown): string | undefined {
  return e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
}

/** Classifies `path` without opening it: stat (following links), lstat to tell why it failed. */
export async function pathKind(path: FileLocation): Promise<PathKind> {
  let s: BigIntStats;
  try {
    s = await stat(path, { bigint: true });
  } catch (e) {
    return failedStatKind(path, e);
  }
  if (s.isFile()) {
    return { kind: 'file', stat: s };
  }
  if (s.isDirectory()) {
    return { kind: 'folder', stat: s };
  }
  return { kind: 'special', what: specialKind(s) };
}

async function failedStatKind(path: FileLocation, e: unknown): Promise<PathKind> {
  const code = errorCode(e);
  if (code === 'ELOOP') {
    return { kind: 'link-loop' };
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    try {
      if ((await lstat(path)).isSymbolicLink()) {
        return { kind: 'dangling-link', target: await readlink(path, 'utf8') };
      }
    } catch {
      // Not there at all (or gone meanwhile): missing.
    }
    return { kind: 'missing' };
  }
  return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e) };
}

/**
 * Why a path that is not a regular file or a folder cannot be read, as the rest of a sentence
 * starting with its name ("model.safetensors: is a FIFO, not a regular file").
 */
export function unusableReason(kind: PathKind): string {
  switch (kind.kind) {
    case 'file':
      return 'is a regular file';
    case 'folder':
      return 'is a folder, not a regular file';
    case 'special':
      return `is ${kind.what}, not a regular file (only regular files are read)`;
    case 'missing':
      return 'no such file or folder';
    case 'dangling-link':
      return `is a dangling symlink: its target ${JSON.stringify(kind.target)} does not exist`;
    case 'link-loop':
      return 'is a symlink loop (too many levels of symbolic links)';
    case 'unreadable':
      return `cannot be read: ${kind.reason}`;
    default:
      return assertUnreachable(kind);
  }
}
