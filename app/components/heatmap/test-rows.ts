import type { TensorStats } from '../../../core/scan/tensor-stats';
import type { TensorRow } from '../../model/tensor-row';

/** Test helper: the counts a heatmap reads; the rest of TensorStats is filler. */
export interface StatCounts {
  readonly nan?: number;
  readonly posInf?: number;
  readonly negInf?: number;
  readonly saturated?: number;
  readonly zero?: number;
  readonly absmax?: number | null;
}

function makeStats(name: string, counts: StatCounts): TensorStats {
  return {
    name,
    dtype: 'F32',
    elements: 16,
    floatLike: true,
    nan: counts.nan ?? 0,
    posInf: counts.posInf ?? 0,
    negInf: counts.negInf ?? 0,
    zero: counts.zero ?? 0,
    subnormal: 0,
    saturated: counts.saturated ?? 0,
    negative: 0,
    min: 0,
    max: 1,
    absmax: counts.absmax === undefined ? 1 : counts.absmax,
    mean: 0.5,
    std: 0.5,
    histogram: { kind: 'codes', bits: 8, counts: [] },
    nanIndices: [],
    infIndices: [],
    densityMap: null,
  };
}

/** Test helper: a row of file 0; `counts: null` means not scanned yet. */
export function makeRow(name: string, counts: StatCounts | null = {}): TensorRow {
  return {
    key: `0:${name}`,
    fileId: 0,
    fileName: 'model.safetensors',
    info: { name, dtype: 'F32', shape: [4, 4], offset: 8, nbytes: 64, elements: 16 },
    stats: counts === null ? null : makeStats(name, counts),
  };
}

/** Test helper: every index of `rows`, for functions that take a cell's row indices. */
export function allIndices(rows: readonly TensorRow[]): number[] {
  return rows.map((_, index) => index);
}
