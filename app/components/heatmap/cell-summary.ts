import { metricValue } from '../../model/tensor-row';
import type { Metric, TensorRow } from '../../model/tensor-row';

/** Exact totals over the tensors of one heatmap cell (every parameter, every expert). */
export interface CellSummary {
  readonly tensors: number;
  readonly scanned: number;
  readonly nan: number;
  /** +Inf and -Inf together. */
  readonly inf: number;
  readonly saturated: number;
  readonly zero: number;
  /** Largest absmax of the scanned tensors; null when none has a finite value. */
  readonly absmax: number | null;
  /** Quantization findings naming the cell's tensors (known from headers and scales, scanned or not). */
  readonly findings: number;
  /** Tensors the index places in a shard that was not given or is invalid (never scanned). */
  readonly missing?: number;
  /** Tensors whose read failed (the file changed or became unreadable): not scanned, never clean. */
  readonly failed?: number;
}

/**
 * What a cell stands for, beyond its metric (the `data-state` of the DOM contract): `missing` when
 * a tensor of it is in a missing shard, `failed` when a read failed, `pending` until every tensor
 * is scanned, else `scanned`.
 */
export type CellState = 'missing' | 'failed' | 'pending' | 'scanned';

export function cellState(summary: CellSummary): CellState {
  if ((summary.missing ?? 0) > 0) {
    return 'missing';
  }
  if ((summary.failed ?? 0) > 0) {
    return 'failed';
  }
  return summary.scanned < summary.tensors ? 'pending' : 'scanned';
}

/** Totals over `rows[i]` for each i of `indices`. */
export function summarizeRows(rows: readonly TensorRow[], indices: readonly number[]): CellSummary {
  let scanned = 0;
  let nan = 0;
  let inf = 0;
  let saturated = 0;
  let zero = 0;
  let absmax: number | null = null;
  let findings = 0;
  let missing = 0;
  let failed = 0;
  for (const index of indices) {
    findings += rows[index].findings ?? 0;
    missing += rows[index].missing === true ? 1 : 0;
    failed += rows[index].failed === true ? 1 : 0;
    const stats = rows[index].stats;
    if (stats === null) {
      continue;
    }
    scanned += 1;
    nan += stats.nan;
    inf += stats.posInf + stats.negInf;
    saturated += stats.saturated;
    zero += stats.zero;
    if (stats.absmax !== null && (absmax === null || stats.absmax > absmax)) {
      absmax = stats.absmax;
    }
  }
  return {
    tensors: indices.length,
    scanned,
    nan,
    inf,
    saturated,
    zero,
    absmax,
    findings,
    missing,
    failed,
  };
}

/** Summaries parallel to `cells`. */
export function summarizeCells(
  cells: readonly { readonly rowIndices: readonly number[] }[],
  rows: readonly TensorRow[],
): CellSummary[] {
  return cells.map((cell) => summarizeRows(rows, cell.rowIndices));
}

/** The colour value of a cell: counts add up, absmax is the max. Null until a tensor is scanned. */
export function cellMetric(summary: CellSummary, metric: Metric): number | null {
  if (metric === 'findings') {
    return summary.findings;
  }
  if (summary.scanned === 0) {
    return null;
  }
  switch (metric) {
    case 'nan':
      return summary.nan;
    case 'inf':
      return summary.inf;
    case 'saturated':
      return summary.saturated;
    case 'zero':
      return summary.zero;
    case 'absmax':
      return summary.absmax ?? 0;
  }
}

/**
 * The tensor a click on a cell opens: the one with the most NaN; without NaN, the one with the
 * highest value of the shown metric; when all are 0 or unscanned, the first. Null for no rows.
 * The candidates are `rows[i]` for each i of `indices`.
 */
export function pickWorstTensor(
  rows: readonly TensorRow[],
  indices: readonly number[],
  metric: Metric,
): string | null {
  let best: TensorRow | null = null;
  let bestNan = 0;
  let bestValue = 0;
  for (const index of indices) {
    const row = rows[index];
    if (row.stats === null) {
      continue;
    }
    const nan = row.stats.nan;
    const value = metricValue(row.stats, metric, row.findings ?? 0);
    if (nan > bestNan || (nan === bestNan && value > bestValue)) {
      best = row;
      bestNan = nan;
      bestValue = value;
    }
  }
  if (best !== null) {
    return best.key;
  }
  return indices.length > 0 ? rows[indices[0]].key : null;
}
