import type { DensityMap } from '../../../core/scan/tensor-stats';

/** A non-empty density-map cell as drawn: its colour (NaN or Inf, whichever dominates) and opacity. */
export interface DensityCell {
  readonly i: number;
  readonly j: number;
  readonly kind: 'nan' | 'inf';
  /** Opacity from MIN_CELL_ALPHA (one bad element) to 1 (the fullest cell), on a log scale. */
  readonly alpha: number;
}

/** Even a cell with a single NaN stays clearly visible. */
export const MIN_CELL_ALPHA = 0.35;

/**
 * The cells holding any NaN or Inf. Opacity grows with log(count) relative to the fullest cell so a
 * lone NaN next to a block of millions is still seen; a cell holding both is coloured by the larger
 * count (NaN on ties).
 */
export function densityCells(map: DensityMap): DensityCell[] {
  let maxCount = 0;
  map.cells.forEach((_, at) => {
    maxCount = Math.max(maxCount, (map.nan[at] ?? 0) + (map.inf[at] ?? 0));
  });
  const cells: DensityCell[] = [];
  if (maxCount === 0) {
    return cells;
  }
  const logMax = Math.log(maxCount);
  map.cells.forEach((k, at) => {
    const nan = map.nan[at] ?? 0;
    const inf = map.inf[at] ?? 0;
    if (nan + inf === 0) {
      return;
    }
    // log(1) = 0: a single element gets the minimum opacity, the fullest cell full opacity.
    const strength = maxCount === 1 ? 1 : Math.log(nan + inf) / logMax;
    cells.push({
      i: Math.floor(k / map.cellCols),
      j: k % map.cellCols,
      kind: nan >= inf ? 'nan' : 'inf',
      alpha: MIN_CELL_ALPHA + (1 - MIN_CELL_ALPHA) * strength,
    });
  });
  return cells;
}

/** The element rows and columns (inclusive) one cell covers. */
export interface CellRange {
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly colStart: number;
  readonly colEnd: number;
}

/**
 * Inverse of the scan's binning: element (r, c) falls in cell (floor(r * cellRows / rows),
 * floor(c * cellCols / cols)), so cell i covers rows ceil(i * rows / cellRows) up to
 * ceil((i + 1) * rows / cellRows) - 1.
 */
export function cellRange(map: DensityMap, i: number, j: number): CellRange {
  const first = (cell: number, cells: number, n: number): number => Math.ceil((cell * n) / cells);
  return {
    rowStart: first(i, map.cellRows, map.rows),
    rowEnd: first(i + 1, map.cellRows, map.rows) - 1,
    colStart: first(j, map.cellCols, map.cols),
    colEnd: first(j + 1, map.cellCols, map.cols) - 1,
  };
}
