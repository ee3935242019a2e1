import { CheckpointError } from './errors';

/** A source that could not be read (a rejected promise, a short read) as a `ReadFailed` error naming the file. */
export function readFailed(fileName: string, cause: unknown): CheckpointError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CheckpointError('ReadFailed', fileName, `could not be read: ${reason}`);
}
