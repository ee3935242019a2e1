import { describe, expect, it } from 'vitest';
import { densityCellCounts } from './density-map';
import { BadValueTracker, densityGrid } from './bad-values';
import { MAX_BAD_INDICES } from './tensor-stats';

describe('densityGrid', () => {
  it('folds leading dims into rows', () => {
    expect(densityGrid([])).toEqual({ rows: 1, cols: 1 });
    expect(densityGrid([7])).toEqual({ rows: 1, cols: 7 });
    expect(densityGrid([3, 5])).toEqual({ rows: 3, cols: 5 });
    expect(densityGrid([2, 3, 5])).toEqual({ rows: 6, cols: 5 });
  });
});

describe('BadValueTracker', () => {
  it('is null-mapped until something bad is seen', () => {
    const t = new BadValueTracker([4, 4]);
    expect(t.densityMap()).toBeNull();
    expect(t.nanIndices).toEqual([]);
  });

  it('bins positions into at most 256 x 256 cells', () => {
    const t = new BadValueTracker([512, 1000]);
    t.addNan(0); // (0, 0)
    t.addNan(511 * 1000 + 999); // (511, 999) -> last cell
    t.addInf(2 * 1000 + 4); // (2, 4) -> cell (1, 1): floor(2*256/512)=1, floor(4*256/1000)=1
    const map = t.densityMap();
    expect(map).toMatchObject({ rows: 512, cols: 1000, cellRows: 256, cellCols: 256 });
    expect(map?.cells).toEqual([0, 1 * 256 + 1, 256 * 256 - 1]);
    expect(map?.nan).toEqual([1, 0, 1]);
    expect(map?.inf).toEqual([0, 1, 0]);
    expect(map === null || map === undefined ? null : densityCellCounts(map, 257)).toEqual({
      nan: 0,
      inf: 1,
    });
    expect(map === null || map === undefined ? null : densityCellCounts(map, 2)).toEqual({
      nan: 0,
      inf: 0,
    });
  });

  it('keeps the first MAX_BAD_INDICES indices, once each, but counts every report', () => {
    const t = new BadValueTracker([3000]);
    for (let i = 0; i < 1500; i++) {
      t.addNan(2 * i);
      t.addNan(2 * i); // both parts of a C64 element
    }
    expect(t.nanIndices).toHaveLength(MAX_BAD_INDICES);
    expect(t.nanIndices[999]).toBe(1998);
    expect(t.densityMap()?.nan.reduce((a, b) => a + b, 0)).toBe(3000);
  });
});
