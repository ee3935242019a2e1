import type { FileState } from '../../store/scan-store';

/**
 * From this many files on, the file cards collapse into one summary line: 120 shards of cards
 * pushed the verdict's findings and repair two screens down.
 */
export const COLLAPSE_FILES_FROM = 9;
/** Error cards listed under a collapsed summary (the rest behind "show all"). */
export const COLLAPSED_ERROR_CARDS = 20;

export interface FileCounts {
  readonly files: number;
  /** Files that failed (invalid, unreadable). */
  readonly invalid: number;
  /** Valid files whose bytes were all read. */
  readonly read: number;
}

type FileLike = Pick<FileState, 'error' | 'bytesDone' | 'bytesTotal'>;

export function countFiles(files: readonly FileLike[]): FileCounts {
  let invalid = 0;
  let read = 0;
  for (const f of files) {
    if (f.error !== null) {
      invalid += 1;
    } else if (f.bytesDone >= f.bytesTotal) {
      read += 1;
    }
  }
  return { files: files.length, invalid, read };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `120 files · all read · 2 invalid`, `4 files · 1 of 4 read`. */
export function summaryLine(c: FileCounts): string {
  const valid = c.files - c.invalid;
  const parts = [plural(c.files, 'file')];
  if (valid > 0) {
    parts.push(
      c.read === valid
        ? 'all read'
        : `${c.read.toLocaleString('en-US')} of ${valid.toLocaleString('en-US')} read`,
    );
  }
  if (c.invalid > 0) {
    parts.push(
      c.invalid === c.files && c.files > 1
        ? `all ${c.invalid} invalid`
        : `${c.invalid.toLocaleString('en-US')} invalid`,
    );
  }
  return parts.join(' · ');
}
