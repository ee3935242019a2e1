/**
 * Every way a checkpoint can be refused. The first ten are the reference implementation's
 * `SafeTensorError` variants (same names, same triggers: ../shared/reference/safetensors-rules.md §2);
 * the rest cover sharded indexes, configs, I/O and repair, which the reference does not check.
 */
export type ErrorCode =
  | 'HeaderTooSmall'
  | 'HeaderTooLarge'
  | 'InvalidHeaderLength'
  | 'InvalidHeader'
  | 'InvalidHeaderDeserialization'
  | 'InvalidOffset'
  | 'ValidationOverflow'
  | 'MisalignedSlice'
  | 'TensorInvalidInfo'
  | 'MetadataIncompleteBuffer'
  | 'IndexInvalid'
  | 'IndexUnsafeShardName'
  | 'IndexShardMissing'
  | 'IndexTensorMissing'
  | 'IndexTensorUnlisted'
  | 'IndexTensorInTwoShards'
  | 'ConfigInvalid'
  | 'ReadFailed'
  | 'Cancelled'
  /** A valid file that a repair still refuses to touch (duplicate keys, a file that changed size). */
  | 'RepairRefused'
  /** A written repair that does not match its plan byte for byte, or still holds NaN where patched. */
  | 'RepairVerifyFailed';

/** A typed, user-facing failure: names the file, the tensor where one is involved, and the rule. */
export class CheckpointError extends Error {
  readonly code: ErrorCode;
  readonly file: string;
  readonly tensor: string | null;
  /** The plain-words explanation without the file/tensor prefix. */
  readonly detail: string;

  constructor(code: ErrorCode, file: string, detail: string, tensor: string | null = null) {
    const where = tensor === null ? file : `${file}: tensor ${JSON.stringify(tensor)}`;
    super(`${where}: ${detail} [${code}]`);
    this.name = 'CheckpointError';
    this.code = code;
    this.file = file;
    this.tensor = tensor;
    this.detail = detail;
  }
}

export function isCheckpointError(value: unknown): value is CheckpointError {
  return value instanceof CheckpointError;
}
