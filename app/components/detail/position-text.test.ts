import { describe, expect, it } from 'vitest';
import { listPositions, positionsUnit, positionText } from './row-col';

describe('the detail view’s positions, printed as the CLI text and the Markdown do', () => {
  it('lists a 1-D tensor by index', () => {
    const list = listPositions([5, 4095], 2, [4096]);
    expect(list.shown.map((p) => positionText(p, [4096]))).toEqual(['5', '4095']);
    expect(positionsUnit([4096])).toBe('index');
  });

  it('lists other tensors as (row, col) of [leading dims, last dim]', () => {
    // [8, 4]: flat 3 is (0, 3), flat 17 is (4, 1); [2, 3, 4]: flat 23 is (5, 3).
    expect(listPositions([3, 17], 2, [8, 4]).shown.map((p) => positionText(p, [8, 4]))).toEqual([
      '(0, 3)',
      '(4, 1)',
    ]);
    expect(positionText(listPositions([23], 1, [2, 3, 4]).shown[0], [2, 3, 4])).toBe('(5, 3)');
    expect(positionsUnit([8, 4])).toBe('(row, col)');
  });
});
