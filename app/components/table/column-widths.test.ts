import { describe, expect, it } from 'vitest';
import { clampWidth, DEFAULT_WIDTHS, gridTemplate, totalWidth } from './column-widths';
import { COLUMN_IDS } from './tensor-sort';

describe('column widths', () => {
  it('has a width for every column and a flexible name column until resized', () => {
    expect(Object.keys(DEFAULT_WIDTHS).sort()).toEqual([...COLUMN_IDS].sort());
    const template = gridTemplate(DEFAULT_WIDTHS, false).split(' ');
    expect(template).toHaveLength(COLUMN_IDS.length + 1); // "minmax(256px," and "1fr)"
    expect(template[0]).toBe('minmax(256px,');
    expect(gridTemplate({ ...DEFAULT_WIDTHS, name: 400 }, true).startsWith('400px 170px')).toBe(
      true,
    );
  });

  it('clamps drags and sums widths', () => {
    expect(clampWidth(3)).toBe(44);
    expect(clampWidth(99999)).toBe(1600);
    expect(clampWidth(120.4)).toBe(120);
    expect(totalWidth(DEFAULT_WIDTHS)).toBe(
      COLUMN_IDS.reduce((sum, id) => sum + DEFAULT_WIDTHS[id], 0),
    );
  });
});
