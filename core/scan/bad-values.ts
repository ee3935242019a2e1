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
 *
 * Consecutive indices are gathered into runs and binned into the map per run (per row and cell
 * column crossed), not per element: an all-NaN tensor cost a division pair and a map update per
 * element (27x the scan time of finite data). `addNanRun` / `addInfRun` take a run at once.
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
  /** The pending runs [start, end) not yet binned (end -1: none). */
  private nanStart = -1;
  private nanEnd = -1;
  private infStart = -1;
  private infEnd = -1;

  constructor(shape: readonly number[]) {
    const { rows, cols } = densityGrid(shape);
    this.rows = rows;
    this.cols = cols;
    this.cellRows = Math.min(rows, MAX_DENSITY_CELLS_PER_SIDE);
    this.cellCols = Math.min(cols, MAX_DENSITY_CELLS_PER_SIDE);
  }

  addNan(index: number): void {
    if (index === this.nanEnd) {
      this.nanEnd++;
      if (this.nanIndices.length < MAX_BAD_INDICES) {
        this.nanIndices.push(index);
      }
      return;
    }
    this.nanCells ??= new Float64Array(this.cellRows * this.cellCols);
    if (index === this.nanEnd - 1) {
      this.nanCells[this.cellOf(index)]++; // the second part of a C64 element
      return;
    }
    this.flushNan();
    this.nanStart = index;
    this.nanEnd = index + 1;
    pushCapped(this.nanIndices, index);
  }

  addInf(index: number): void {
    if (index === this.infEnd) {
      this.infEnd++;
      if (this.infIndices.length < MAX_BAD_INDICES) {
        this.infIndices.push(index);
      }
      return;
    }
    this.infCells ??= new Float64Array(this.cellRows * this.cellCols);
    if (index === this.infEnd - 1) {
      this.infCells[this.cellOf(index)]++;
      return;
    }
    this.flushInf();
    this.infStart = index;
    this.infEnd = index + 1;
    pushCapped(this.infIndices, index);
  }

  /** Elements [start, start + count) are NaN (one part each), in ascending order after the last. */
  addNanRun(start: number, count: number): void {
    if (count <= 0) {
      return;
    }
    this.addNan(start);
    this.nanEnd = start + count;
    appendCapped(this.nanIndices, start + 1, start + count);
  }

  /** Elements [start, start + count) are ±Inf (one part each). */
  addInfRun(start: number, count: number): void {
    if (count <= 0) {
      return;
    }
    this.addInf(start);
    this.infEnd = start + count;
    appendCapped(this.infIndices, start + 1, start + count);
  }

  densityMap(): DensityMap | null {
    this.flushNan();
    this.flushInf();
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

  private flushNan(): void {
    if (this.nanEnd > this.nanStart && this.nanStart >= 0) {
      this.nanCells ??= new Float64Array(this.cellRows * this.cellCols);
      this.binRun(this.nanCells, this.nanStart, this.nanEnd);
    }
    this.nanStart = this.nanEnd = -1;
  }

  private flushInf(): void {
    if (this.infEnd > this.infStart && this.infStart >= 0) {
      this.infCells ??= new Float64Array(this.cellRows * this.cellCols);
      this.binRun(this.infCells, this.infStart, this.infEnd);
    }
    this.infStart = this.infEnd = -1;
  }

  /** Adds elements [start, end) to `cells`: per row segment and cell column, whole rows at once. */
  private binRun(cells: Float64Array, start: number, end: number): void {
    const cols = this.cols;
    let row = Math.floor(start / cols);
    let col = start - row * cols;
    let at = start;
    while (at < end) {
      if (col === 0 && end - at >= cols) {
        const lastRow = row + Math.floor((end - at) / cols);
        while (row < lastRow) {
          const i = this.cellRowOf(row);
          const upTo = Math.min(lastRow, this.firstRowOfCell(i + 1));
          this.addSegment(cells, i, 0, cols, upTo - row);
          row = upTo;
        }
        at = row * cols;
        continue;
      }
      const rowEnd = Math.min(end, (row + 1) * cols);
      this.addSegment(cells, this.cellRowOf(row), col, rowEnd - row * cols, 1);
      at = rowEnd;
      row++;
      col = 0;
    }
  }

  /** Adds `times` × columns [c0, c1) of a row in cell row `i`. */
  private addSegment(cells: Float64Array, i: number, c0: number, c1: number, times: number): void {
    const base = i * this.cellCols;
    for (let j = this.cellColOf(c0); j < this.cellCols; j++) {
      const from = Math.max(c0, this.firstColOfCell(j));
      const to = Math.min(c1, this.firstColOfCell(j + 1));
      if (to <= from) {
        break;
      }
      cells[base + j] += (to - from) * times;
    }
  }

  private cellRowOf(row: number): number {
    return Math.floor((row * this.cellRows) / this.rows);
  }

  private cellColOf(col: number): number {
    return Math.floor((col * this.cellCols) / this.cols);
  }

  /** The first row whose cell row is `i` (or later): the inverse of `cellRowOf`. */
  private firstRowOfCell(i: number): number {
    return Math.ceil((i * this.rows) / this.cellRows);
  }

  private firstColOfCell(j: number): number {
    return Math.ceil((j * this.cols) / this.cellCols);
  }

  private cellOf(index: number): number {
    const r = Math.floor(index / this.cols);
    const c = index - r * this.cols;
    return this.cellRowOf(r) * this.cellCols + this.cellColOf(c);
  }
}

function pushCapped(list: number[], index: number): void {
  if (list.length < MAX_BAD_INDICES && list[list.length - 1] !== index) {
    list.push(index);
  }
}

/** Appends indices [from, to) while the list has room. */
function appendCapped(list: number[], from: number, to: number): void {
  for (let k = from; k < to && list.length < MAX_BAD_INDICES; k++) {
    list.push(k);
  }
}
