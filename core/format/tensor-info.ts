import type { Dtype } from '../dtype/dtype';

/** One tensor entry of a validated safetensors header. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: Dtype;
  /**
   * Dimensions. Exact below 2^53; larger dimensions can only occur in zero-element tensors
   * (the byte-size check rejects any other), where they are kept as the nearest double.
   */
  readonly shape: readonly number[];
  /**
   * The dimensions as the header's digits, present only when one is above 2^53 (and so inexact in
   * `shape`): the `--json` report writes these, so the shape reads as the header has it.
   */
  readonly exactShape?: readonly string[];
  /** Absolute byte offset of the tensor's data in its file (8 + header length + BEGIN). */
  readonly offset: number;
  readonly nbytes: number;
  readonly elements: number;
}

/** A header that passed every rule of the reference implementation. */
export interface SafetensorsHeader {
  readonly fileName: string;
  readonly fileSize: number;
  /** N, the header length in bytes (the u64 at bytes 0..8). */
  readonly headerLength: number;
  /** 8 + N: where the data region begins. */
  readonly dataStart: number;
  /** `__metadata__`, or null when absent or `null`. */
  readonly metadata: ReadonlyMap<string, string> | null;
  /** Tensors in data-offset order (the order the bytes lie in the file). */
  readonly tensors: readonly TensorInfo[];
  /** Tensors by name; names are arbitrary strings (`__proto__`, `""` included). */
  readonly byName: ReadonlyMap<string, TensorInfo>;
  /**
   * Tensor names that occurred more than once in the header JSON; the reference keeps the last
   * silently (TOB-SFTN-7), so a repair must refuse such a file. Absent means not checked.
   */
  readonly duplicateTensorNames?: readonly string[];
  /** `__metadata__` keys that occurred more than once (last wins). Absent means not checked. */
  readonly duplicateMetadataKeys?: readonly string[];
}
