import type { PlainError } from '../../workers/plain-error';

/**
 * Failed tensor reads of a scan, per file. A file that changed on disk fails every read: its first
 * failure becomes the file's error (the file is "in error"), later ones only mark their tensors.
 */
export class ReadFailures {
  private readonly byFile = new Map<number, PlainError>();
  private count = 0;

  /**
   * Records a failed tensor; true when the error should be listed on its own. A failed read is not:
   * the first one of its file becomes the file's error (shown with the file), the rest mark tensors.
   */
  record(fileId: number, error: PlainError): boolean {
    this.count += 1;
    if (error.code !== 'ReadFailed') {
      return true;
    }
    if (!this.byFile.has(fileId)) {
      this.byFile.set(fileId, error);
    }
    return false;
  }

  /** The error of a file some read of which failed, or null. */
  errorOf(fileId: number): PlainError | null {
    return this.byFile.get(fileId) ?? null;
  }

  /** Tensors that failed. */
  get tensors(): number {
    return this.count;
  }
}
