import type { Dtype } from '../dtype/dtype';

/**
 * "neutral": an NVFP4 block scale whose 16 FP4 codes are all ±0, so the patch changes no
 * dequantized value. "lossy": the patch changes values (an NVFP4 block with non-zero codes, whose
 * true scale exceeded 448; or any float-policy patch). null: not classified (no paired weight).
 */
export type PatchClassification = 'neutral' | 'lossy' | null;

/** One planned byte change. */
export interface Patch {
  readonly tensor: string;
  /** Element index in the tensor (row-major); the bytes of one float element share it. */
  readonly flatIndex: number;
  /** Position of the element in the tensor viewed as [product of leading dims, last dim]. */
  readonly row: number;
  readonly col: number;
  /** Absolute byte offset in the file. */
  readonly offset: number;
  readonly old: number;
  readonly new: number;
  readonly classification: PatchClassification;
}

/** Per-tensor totals of a plan; only tensors with at least one patch are listed. */
export interface PlanTensorSummary {
  readonly name: string;
  readonly dtype: Dtype;
  /** The dtype whose NaN rules were applied: differs from `dtype` only for U8 tensors given a role. */
  readonly treatedAs: Dtype;
  /** Byte patches (a float element may need several). */
  readonly patches: number;
  readonly neutral: number;
  readonly lossy: number;
}

/** Everything a repair will change in one file. */
export interface RepairPlan {
  /** The source's name. */
  readonly file: string;
  readonly fileSize: number;
  /** N, the header length (the data region starts at 8 + N); no patch ever lies before that. */
  readonly headerLength: number;
  /** Sorted by offset, one per byte, offsets unique. */
  readonly patches: readonly Patch[];
  /** In file order. */
  readonly tensors: readonly PlanTensorSummary[];
}
