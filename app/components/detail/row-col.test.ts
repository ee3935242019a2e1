import { describe, expect, it } from 'vitest';
import { flatToRowCol, listPositions, matrixCols } from './row-col';

describe('flatToRowCol', () => {
  it('views an N-D tensor as [leading dims, last dim]', () => {
    expect(flatToRowCol(0, [4, 3])).toEqual({ index: 0, row: 0, col: 0 });
    expect(flatToRowCol(7, [4, 3])).toEqual({ index: 7, row: 2, col: 1 });
    // [2, 3, 5] is 6 rows of 5: index 29 is the last element.
    expect(flatToRowCol(29, [2, 3, 5])).toEqual({ index: 29, row: 5, col: 4 });
  });
  it('puts 1-D tensors and scalars on row 0', () => {
    expect(flatToRowCol(9, [10])).toEqual({ index: 9, row: 0, col: 9 });
    expect(flatToRowCol(0, [])).toEqual({ index: 0, row: 0, col: 0 });
    expect(matrixCols([])).toBe(1);
  });
  it('stays exact for indices beyond 2^32', () => {
    const cols = 7168;
    const index = 2 ** 40 + 5;
    expect(flatToRowCol(index, [2 ** 40, cols])).toEqual({
      index,
      row: Math.floor(index / cols),
      col: index % cols,
    });
  });
});

describe('listPositions', () => {
  it('lists up to the limit and counts the rest from the total', () => {
    const indices = Array.from({ length: 1000 }, (_, i) => i * 2);
    const list = listPositions(indices, 5000, [100, 100]);
    expect(list.shown).toHaveLength(100);
    expect(list.shown[1]).toEqual({ index: 2, row: 0, col: 2 });
    expect(list.more).toBe(4900);
  });
  it('has nothing more when everything is listed', () => {
    expect(listPositions([3, 4], 2, [8]).more).toBe(0);
    expect(listPositions([], 0, [8])).toEqual({ shown: [], more: 0 });
  });
  it('never reports a negative remainder', () => {
    expect(listPositions([1, 2, 3], 1, [8], 2).more).toBe(1);
  });
});
