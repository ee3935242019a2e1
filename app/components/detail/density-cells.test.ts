import { describe, expect, it } from 'vitest';
import type { DensityMap } from '../../../core/scan/tensor-stats';
import { cellRange, densityCells, MIN_CELL_ALPHA } from './density-cells';

/** A 2 x 2 map from dense per-cell counts (cells listed where either count is non-zero). */
function map(dense: { nan?: number[]; inf?: number[] } & Partial<DensityMap>): DensityMap {
  const { nan = [0, 0, 0, 0], inf = [0, 0, 0, 0], ...rest } = dense;
  const cells = nan.flatMap((n, k) => (n + (inf[k] ?? 0) > 0 ? [k] : []));
  return {
    rows: 2,
    cols: 2,
    cellRows: 2,
    cellCols: 2,
    ...rest,
    cells,
    nan: cells.map((k) => nan[k] ?? 0),
    inf: cells.map((k) => inf[k] ?? 0),
  };
}

describe('densityCells', () => {
  it('lists only non-empty cells, coloured by the larger count', () => {
    const cells = densityCells(map({ nan: [1, 0, 0, 100], inf: [0, 0, 3, 1] }));
    expect(cells.map((c) => [c.i, c.j, c.kind])).toEqual([
      [0, 0, 'nan'],
      [1, 0, 'inf'],
      [1, 1, 'nan'],
    ]);
    expect(cells[0].alpha).toBe(MIN_CELL_ALPHA);
    expect(cells[2].alpha).toBe(1);
    expect(cells[1].alpha).toBeGreaterThan(MIN_CELL_ALPHA);
    expect(cells[1].alpha).toBeLessThan(1);
  });
  it('prefers NaN on ties and gives a lone element full opacity', () => {
    const cells = densityCells(map({ nan: [0, 1, 0, 0], inf: [0, 1, 0, 0] }));
    expect(cells).toEqual([{ i: 0, j: 1, kind: 'nan', alpha: 1 }]);
    expect(densityCells(map({ nan: [0, 0, 0, 1] }))[0].alpha).toBe(1);
  });
  it('is empty for an empty map', () => {
    expect(densityCells(map({}))).toEqual([]);
  });
});

describe('cellRange', () => {
  it('inverts the scan binning', () => {
    // 1000 rows in 256 cells: row r is in cell floor(r * 256 / 1000).
    const m = map({ rows: 1000, cols: 3, cellRows: 256, cellCols: 3 });
    for (const i of [0, 1, 100, 255]) {
      const range = cellRange(m, i, 2);
      expect(Math.floor((range.rowStart * 256) / 1000)).toBe(i);
      expect(Math.floor((range.rowEnd * 256) / 1000)).toBe(i);
      expect(Math.floor(((range.rowStart - 1) * 256) / 1000)).not.toBe(i);
      expect(Math.floor(((range.rowEnd + 1) * 256) / 1000)).not.toBe(i);
      expect([range.colStart, range.colEnd]).toEqual([2, 2]);
    }
    expect(cellRange(m, 255, 0).rowEnd).toBe(999);
  });
});
