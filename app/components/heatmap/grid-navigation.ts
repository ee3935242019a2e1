import type { HeatmapLayout } from './heatmap-layout';

/** Keys that move the active cell of a heatmap grid (one tab stop, arrows inside). */
const NAV_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type NavKey = (typeof NAV_KEYS)[number];

export function isNavKey(key: string): key is NavKey {
  return (NAV_KEYS as readonly string[]).includes(key);
}

/** The nearest cell in the same column, `step` rows away (skipping empty positions), or null. */
function findInColumn(
  layout: HeatmapLayout,
  row: number,
  col: number,
  step: 1 | -1,
): number | null {
  const columns = layout.columnLabels.length;
  for (let r = row + step; r >= 0 && r < layout.rowLabels.length; r += step) {
    const index = layout.gridIndex[r * columns + col];
    if (index >= 0) {
      return index;
    }
  }
  return null;
}

function moveVertically(layout: HeatmapLayout, current: number, step: 1 | -1): number {
  const cell = layout.cells[current];
  const firstOutside = layout.outsideIndices.length > 0 ? layout.outsideIndices[0] : null;
  if (cell.row === null || cell.col === null) {
    // The outside strip sits below the grid: up leaves it for the last grid cell.
    return step < 0 && firstOutside !== null && firstOutside > 0 ? firstOutside - 1 : current;
  }
  const found = findInColumn(layout, cell.row, cell.col, step);
  if (found !== null) {
    return found;
  }
  return step > 0 && firstOutside !== null ? firstOutside : current;
}

/** The active cell after a navigation key; cells are in row-major order, then the outside strip. */
export function moveActive(
  layout: HeatmapLayout,
  current: number | null,
  key: NavKey,
): number | null {
  const count = layout.cells.length;
  if (count === 0) {
    return null;
  }
  if (current === null || current < 0 || current >= count) {
    return 0;
  }
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, current - 1);
    case 'ArrowRight':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return moveVertically(layout, current, -1);
    case 'ArrowDown':
      return moveVertically(layout, current, 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}
