import type { TensorStats } from '../core/scan/tensor-stats';

/** One tensor's role-decoded stats as the page sends them for `valueFindings` (NaN/Inf only). */
export interface ValueStats {
  readonly file: string;
  readonly tensor: string;
  readonly stats: TensorStats;
}
