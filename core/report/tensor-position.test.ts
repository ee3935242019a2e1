import { describe, expect, it } from 'vitest';
import { formatPosition, isFlatShape, positionUnit, tensorPosition } from './tensor-position';

describe('tensorPosition', () => {
  it('gives 1-D tensors and scalars a plain index', () => {
    expect(tensorPosition([8], 5)).toEqual({ kind: 'index', index: 5 });
    expect(tensorPosition([], 0)).toEqual({ kind: 'index', index: 0 });
    expect(formatPosition(tensorPosition([4096], 4095))).toBe('4095');
    expect(positionUnit([8])).toBe('index');
    expect(isFlatShape([])).toBe(true);
  });

  it('gives other tensors (row, col) of [leading dims, last dim]', () => {
    // [2, 4]: flat 6 is row 1, col 2; [2, 3, 4]: flat 23 is row 5 (of 6), col 3.
    expect(tensorPosition([2, 4], 6)).toEqual({ kind: 'row-col', index: 6, row: 1, col: 2 });
    expect(formatPosition(tensorPosition([2, 3, 4], 23))).toBe('(5, 3)');
    expect(positionUnit([2, 4])).toBe('(row, col)');
    expect(isFlatShape([1, 8])).toBe(false);
  });

  it('labels a zero-width tensor (0, 0) rather than dividing by zero', () => {
    expect(formatPosition(tensorPosition([3, 0], 0))).toBe('(0, 0)');
  });
});
