import { describe, expect, it } from 'vitest';
import { fitCells } from './fit-cells';

describe('fitCells', () => {
  it('keeps the size class when there is room or no measured box', () => {
    expect(fitCells('l', 4, 8, null)).toEqual({
      width: 36,
      height: 16,
      gap: 1,
      rowLabelEvery: 1,
      columnLabelEvery: 1,
    });
    expect(fitCells('l', 4, 8, { width: 2000, height: 2000 }).height).toBe(16);
  });

  it('shrinks 94 layers into a 460 px box: every row fits with its gap', () => {
    const fit = fitCells('l', 94, 8, { width: 900, height: 460 });
    expect(94 * (fit.height + fit.gap)).toBeLessThanOrEqual(460);
    expect(fit.height).toBe(4);
    expect(fit.gap).toBe(0);
    expect(fit.rowLabelEvery).toBe(3);
  });

  it('shrinks 3 x 64 experts into 900 px and labels columns in groups', () => {
    const fit = fitCells('xs', 48, 194, { width: 900, height: 460 });
    expect(194 * (fit.width + fit.gap)).toBeLessThanOrEqual(900);
    expect(fit.width).toBe(4);
    expect(fit.columnLabelEvery).toBe(7);
  });

  it('fits 3 x 256 experts (DeepSeek-V3) into 900 px with 1 px columns', () => {
    const fit = fitCells('xs', 61, 770, { width: 900, height: 460 });
    expect(fit.width).toBe(1);
    expect(770 * (fit.width + fit.gap)).toBeLessThanOrEqual(900);
  });

  it('never goes below 2 px rows (a very tall grid scrolls instead)', () => {
    const fit = fitCells('l', 5000, 8, { width: 900, height: 460 });
    expect(fit.height).toBe(2);
    expect(fit.gap).toBe(0);
  });
});
