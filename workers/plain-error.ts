import { isCheckpointError } from '../core/format/errors';
import type { ErrorCode } from '../core/format/errors';

/** A CheckpointError as plain data: Error subclasses lose their fields when cloned across threads. */
export interface PlainError {
  readonly code: ErrorCode;
  readonly file: string;
  readonly tensor: string | null;
  readonly message: string;
  readonly detail: string;
}

export function plainError(e: unknown, file: string, tensor: string | null = null): PlainError {
  if (isCheckpointError(e)) {
    return { code: e.code, file: e.file, tensor: e.tensor, message: e.message, detail: e.detail };
  }
  const detail = e instanceof Error ? e.message : String(e);
  return {
    code: 'ReadFailed',
    file,
    tensor,
    message: `${file}: ${detail} [ReadFailed]`,
    detail,
  };
}
