import type { TensorInfo } from '../../core/format/tensor-info';
import type { TensorStats } from '../../core/scan/tensor-stats';

/** One tensor of the loaded checkpoint as the views see it: where it lives and, once scanned, its stats. */
export interface TensorRow {
  /** Unique across the checkpoint: `${fileId}:${name}` (names repeat across files only in broken checkpoints). */
  readonly key: string;
  readonly fileId: number;
  /** The file's path as the user dropped it (relative to the dropped folder). */
  readonly fileName: string;
  readonly info: TensorInfo;
  /** Null until the worker has scanned this tensor. */
  readonly stats: TensorStats | null;
  /** Quantization findings that name this tensor (0 until the analysis has run). */
  readonly findings?: number;
  /** The raw bytes of a tensor of at most TINY_TENSOR_BYTES, once scanned (the quant analysis reuses them). */
  readonly tinyBytes?: Uint8Array;
  /** Its read failed (the file changed or became unreadable): "not scanned", never clean. */
  readonly failed?: boolean;
  /**
   * Listed by the index in a shard that was not given or is invalid: only its name is known (`info`
   * holds the name and zero sizes; its dtype is a placeholder, not the tensor's).
   */
  readonly missing?: boolean;
}

export function tensorKey(fileId: number, name: string): string {
  return `${fileId}:${name}`;
}

/** The metrics the heatmap and table can colour and filter by. */
export type Metric = 'nan' | 'inf' | 'saturated' | 'zero' | 'absmax' | 'findings';

export const METRICS: readonly Metric[] = ['nan', 'inf', 'saturated', 'zero', 'absmax', 'findings'];

/** The metric's value for one tensor; `findings` is the number of lint findings naming it. */
export function metricValue(stats: TensorStats, metric: Metric, findings = 0): number {
  switch (metric) {
    case 'nan':
      return stats.nan;
    case 'inf':
      return stats.posInf + stats.negInf;
    case 'saturated':
      return stats.saturated;
    case 'zero':
      return stats.zero;
    case 'absmax':
      return stats.absmax ?? 0;
    case 'findings':
      return findings;
  }
}

/** A tensor "has problems" when it holds NaN or Inf. */
export function hasProblem(stats: TensorStats | null): boolean {
  return stats !== null && stats.nan + stats.posInf + stats.negInf > 0;
}
