import { describe, expect, it } from 'vitest';
import type { DensityMap } from '../../../core/scan/tensor-stats';
import {
  axisTicks,
  cellAt,
  markerAt,
  markerRect,
  MIN_MARKER_PX,
  PLOT_HEIGHT_PX,
  PLOT_WIDTH_PX,
  readout,
} from './density-plot';

function map(rows: number, cols: number, cellRows = rows, cellCols = cols): DensityMap {
  return { rows, cols, cellRows, cellCols, cells: [], nan: [], inf: [] };
}

describe('the NaN/Inf map geometry', () => {
  it('draws a [64, 8] scale in the fixed frame with markers of at least the minimum size', () => {
    const m = map(64, 8);
    const r = markerRect(m, 63, 7);
    expect(r.width).toBe(PLOT_WIDTH_PX / 8);
    expect(r.height).toBe(MIN_MARKER_PX); // 200 / 64 = 3.125 px cells grow to 4 px
    expect(r.x + r.width).toBeLessThanOrEqual(PLOT_WIDTH_PX);
    expect(r.y + r.height).toBeLessThanOrEqual(PLOT_HEIGHT_PX);
  });

  it('keeps a [512, 256] weight binned to 256 × 256 cells readable', () => {
    const m = map(512, 256, 256, 256);
    const r = markerRect(m, 0, 0);
    expect(r).toEqual({ x: 0, y: 0, width: MIN_MARKER_PX, height: MIN_MARKER_PX });
    expect(readout(m, 10, 3, 2, 0)).toBe('rows 20–21, col 3: 2 NaN, 0 Inf');
  });

  it('labels axes with element indices, first and last included', () => {
    expect(axisTicks(64, 64, 200).map((t) => t.index)).toEqual([0, 16, 32, 47, 63]);
    expect(axisTicks(8, 8, 320).map((t) => t.index)).toEqual([0, 2, 4, 5, 7]);
    expect(axisTicks(3, 3, 300)).toEqual([
      { index: 0, at: 50 },
      { index: 1, at: 150 },
      { index: 2, at: 250 },
    ]);
    const ticks = axisTicks(512, 256, 200);
    expect(ticks[4]).toEqual({ index: 511, at: (255.5 * 200) / 256 });
  });

  it('reads back the cell under the pointer and describes one element exactly', () => {
    const m = map(64, 8);
    expect(cellAt(m, 319, 199)).toEqual({ i: 63, j: 7 });
    expect(cellAt(m, 320, 0)).toBeNull();
    expect(readout(m, 12, 3, 1, 0)).toBe('(12, 3) = NaN');
    expect(readout(m, 12, 3, 0, 1)).toBe('(12, 3) = ±Inf');
    expect(readout(m, 12, 3, 0, 0)).toBe('(12, 3): finite');
  });

  it('reads out indices for a 1-D tensor (one row), as every other view prints its positions', () => {
    const m = map(1, 8);
    expect(readout(m, 0, 5, 1, 0, true)).toBe('index 5 = NaN');
    expect(readout(m, 0, 5, 0, 0, true)).toBe('index 5: finite');
    // 512 elements in 128 cells: cell 3 covers indices 12..15.
    const wide = map(1, 512, 1, 128);
    expect(readout(wide, 0, 3, 2, 1, true)).toBe('indices 12–15: 2 NaN, 1 Inf');
  });

  it('finds a lone marker under the pointer although its cell is under a pixel', () => {
    const m = map(512, 256, 256, 256);
    const drawn = [{ i: 250, j: 200, kind: 'nan' as const, alpha: 1 }];
    const r = markerRect(m, 250, 200);
    expect(markerAt(m, drawn, r.x + 0.2, r.y + r.height - 0.2)).toEqual({ i: 250, j: 200 });
    expect(markerAt(m, drawn, r.x - 1, r.y)).toBeNull();
  });
});
