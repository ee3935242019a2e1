import type { DensityMap } from './tensor-stats';

/** The NaN and Inf counts of cell `k` of a sparse density map (zeros for a cell not listed). */
export function densityCellCounts(map: DensityMap, k: number): { nan: number; inf: number } {
  let lo = 0;
  let hi = map.cells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = map.cells[mid];
    if (at === k) {
      return { nan: map.nan[mid], inf: map.inf[mid] };
    }
    if (at < k) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return { nan: 0, inf: 0 };
}

/** Every cell's count of one kind, dense (cellRows x cellCols numbers): for tests and exports. */
export function denseDensity(map: DensityMap, kind: 'nan' | 'inf'): number[] {
  const out = new Array<number>(map.cellRows * map.cellCols).fill(0);
  map.cells.forEach((k, at) => {
    out[k] = map[kind][at];
  });
  return out;
}
