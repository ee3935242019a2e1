import type { ReactElement } from 'react';
import { cellState } from './cell-summary';
import type { CellSummary } from './cell-summary';
import type { HeatCell } from './heatmap-layout';

/** The attribute click and keyboard handlers read back to find a cell (event delegation). */
export const CELL_INDEX_ATTRIBUTE = 'data-index';

/**
 * One cell as a plain element, not a component: a drill-down draws 24k of them, so no per-cell
 * state, handlers or hooks. Everything else (data-*) is the end-to-end DOM contract. Names are
 * untrusted and only ever set as attribute values, which React escapes.
 */
export function renderCell(
  cell: HeatCell,
  summary: CellSummary,
  index: number,
  className: string,
  title: string,
): ReactElement {
  return (
    <div
      key={index}
      className={className}
      data-testid="heatmap-cell"
      data-layer={cell.layer}
      data-module={cell.module}
      data-expert={cell.expert === null ? undefined : String(cell.expert)}
      data-nan={String(summary.nan)}
      data-state={cellState(summary)}
      data-index={index}
      title={title}
    />
  );
}

/** The cell index of an event target inside a heatmap, or null. */
export function cellIndexOf(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) {
    return null;
  }
  const value = target.closest(`[${CELL_INDEX_ATTRIBUTE}]`)?.getAttribute(CELL_INDEX_ATTRIBUTE);
  if (value === undefined || value === null) {
    return null;
  }
  const index = Number(value);
  return Number.isInteger(index) && index >= 0 ? index : null;
}
