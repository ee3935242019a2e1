import { describe, expect, it } from 'vitest';
import { densityCellCounts, denseDensity } from './density-map';
import type { DensityMap } from './tensor-stats';

const map: DensityMap = {
  rows: 3,
  cols: 3,
  cellRows: 3,
  cellCols: 3,
  cells: [1, 4, 8],
  nan: [2, 0, 5],
  inf: [0, 7, 1],
};

describe('sparse density maps', () => {
  it('finds a listed cell’s counts, and zeros for any other cell', () => {
    expect(densityCellCounts(map, 1)).toEqual({ nan: 2, inf: 0 });
    expect(densityCellCounts(map, 4)).toEqual({ nan: 0, inf: 7 });
    expect(densityCellCounts(map, 8)).toEqual({ nan: 5, inf: 1 });
    for (const k of [0, 2, 3, 5, 6, 7]) {
      expect(densityCellCounts(map, k)).toEqual({ nan: 0, inf: 0 });
    }
  });

  it('expands to one count per cell', () => {
    expect(denseDensity(map, 'nan')).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 5]);
    expect(denseDensity(map, 'inf')).toEqual([0, 0, 0, 0, 7, 0, 0, 0, 1]);
  });
});
