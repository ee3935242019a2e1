import type { Dtype } from '../dtype/dtype';
import type { PatchClassification, RepairClass, RepairRole } from './repair-decisions';

export type { PatchClassification, RepairClass, RepairRole } from './repair-decisions';

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
  /**
   * "neutral": the patch changes no dequantized value (a block whose codes are all ±0); "lossy": it
   * does (a clamped or destroyed block, any float-policy patch); null: not classified.
   */
  readonly classification: PatchClassification;
  /** The class of the patched block scale (see RepairClass); null when not a classified block. */
  readonly class: RepairClass | null;
}

/** Per-tensor totals of a plan; only tensors with at least one patch are listed. */
export interface PlanTensorSummary {
  readonly name: string;
  readonly dtype: Dtype;
  /** The dtype whose NaN rules were applied: differs from `dtype` only for U8 tensors given a role. */
  readonly treatedAs: Dtype;
  /** What the tensor holds (scale or value, block scale or not): decides the sign and the words. */
  readonly role: RepairRole;
  /** Byte patches (a float element may need several). */
  readonly patches: number;
  /** Patches by class (blocks), and by the older neutral/lossy label (neutral = class neutral). */
  readonly neutral: number;
  readonly clamped: number;
  readonly destroyed: number;
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
