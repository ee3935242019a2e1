import { isCheckpointError } from '../core/format/errors';
import { plainError } from './plain-error';
import type { PlainError } from './plain-error';

/** Short words for what the browser reported: never "network error" for a local file. */
function browserReason(detail: string): string {
  if (/network error|NotReadable|could not be read/i.test(detail)) {
    return 'the file is no longer readable as it was opened';
  }
  return /got \d+ bytes/.test(detail)
    ? 'the file is shorter than when it was opened'
    : 'read failed';
}

/**
 * A failed read of a local file during the scan, as the user should read it. The browser snapshots a
 * chosen File: once the file is modified, moved or deleted on disk, every read of it fails
 * (Chromium: `NotReadableError`, or a stream's "network error"), or comes back short. None of that
 * is a network problem; what happened is that the file changed. The browser's words stay in `detail`.
 */
export function localReadFailure(e: unknown, file: string, tensor: string | null): PlainError {
  const plain = plainError(e, file, tensor);
  if (isCheckpointError(e) && e.code !== 'ReadFailed') {
    return plain;
  }
  const where = tensor === null ? file : `${file}: tensor ${JSON.stringify(tensor)}`;
  const detail = `the file changed or became unreadable during the scan (modified, moved or deleted after it was opened): not scanned; open it again to scan it (browser: ${browserReason(plain.detail)})`;
  return { code: 'ReadFailed', file, tensor, message: `${where}: ${detail} [ReadFailed]`, detail };
}
