import type { DensityMap } from './tensor-stats';
import { MAX_BAD_INDICES, MAX_DENSITY_CELLS_PER_SIDE } from './tensor-stats';

/** The [rows, cols] view of a shape that the density map uses: leading dims folded into rows. */
export function densityGrid(shape: readonly number[]): { rows: number; cols: number } {
  if (shape.length === 0) {
    return { rows: 1, cols: 1 };
  }
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((n, d) => n * d, 1);
  return { rows, cols };
}

/**
 * Collects where NaN and Inf sit: the first MAX_BAD_INDICES flat indices of each and the density
 * map. Elements must be reported in ascending index order; an index reported twice in a row (both
 * parts of a C64 element) is listed once but counted twice in the map, so the map's cells always
 * sum to the tensor's NaN and Inf counts.
 */
export class BadValueTracker {
  readonly nanIndices: number[] = [];
  readonly infIndices: number[] = [];
  private readonly rows: number;
  private readonly cols: number;
  private readonly cellRows: number;
  private readonly cellCols: number;
  private nanCells: Float64Array | null = null;
  private infCells: Float64Array | null = null;

  constructor(shape: readonly number[]) {
    const { rows, cols } = densityGrid(shape);
    this.rows = rows;
    this.cols = cols;
    this.cellRows = Math.min(rows, MAX_DENSITY_CELLS_PER_SIDE);
    this.cellCols = Math.min(cols, MAX_DENSITY_CELLS_PER_SIDE);
  }

  addNan(index: number): void {
    pushCapped(this.nanIndices, index);
    this.nanCells ??= new Float64Array(this.cellRows * this.cellCols);
    this.nanCells[this.cellOf(index)]++;
  }

  addInf(index: number): void {
    pushCapped(this.infIndices, index);
    this.infCells ??= new Float64Array(this.cellRows * this.cellCols);
    this.infCells[this.cellOf(index)]++;
  }

  densityMap(): DensityMap | null {
    if (this.nanCells === null && this.infCells === null) {
      return null;
    }
    const cells: number[] = [];
    const nan: number[] = [];
    const inf: number[] = [];
    const size = this.cellRows * this.cellCols;
    for (let k = 0; k < size; k++) {
      const n = this.nanCells?.[k] ?? 0;
      const i = this.infCells?.[k] ?? 0;
      if (n + i > 0) {
        cells.push(k);
        nan.push(n);
        inf.push(i);
      }
    }
    return {
      rows: this.rows,
      cols: this.cols,
      cellRows: this.cellRows,
      cellCols: this.cellCols,
      cells,
      nan,
      inf,
    };
  }

  private cellOf(index: number): number {
    const r = Math.floor(index / this.cols);
    const c = index - r * this.cols;
    const i = Math.floor((r * this.cellRows) / this.rows);
    const j = Math.floor((c * this.cellCols) / this.cols);
    return i * this.cellCols + j;
  }
}

function pushCapped(list: number[], index: number): void {
  if (list.length < MAX_BAD_INDICES && list[list.length - 1] !== index) {
    list.push(index);
  }
}
