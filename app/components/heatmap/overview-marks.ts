import type { CellSummary } from './cell-summary';
import type { HeatmapLayout } from './heatmap-layout';

/** One mark of the overview strip: a grid row holding NaN (or only Inf), as a share of the height. */
export interface OverviewMark {
  readonly row: number;
  readonly kind: 'nan' | 'inf';
  /** Top of the mark, 0..1 of the strip's height. */
  readonly at: number;
}

/**
 * The rows worth a mark beside a grid too tall for its box (more layers than fit at the smallest
 * cell): like the find-in-page marks on a scrollbar, every NaN row is visible without scrolling.
 * One mark per row, NaN winning over Inf; linear in the number of cells.
 */
export function overviewMarks(
  layout: HeatmapLayout,
  summaries: readonly CellSummary[],
): OverviewMark[] {
  const rows = layout.rowLabels.length;
  const kinds = new Uint8Array(rows); // 0 none, 1 inf, 2 nan
  layout.cells.forEach((cell, i) => {
    const s = summaries[i];
    if (cell.row === null || s === undefined) {
      return;
    }
    const kind = s.nan > 0 ? 2 : s.inf > 0 ? 1 : 0;
    if (kind > kinds[cell.row]) {
      kinds[cell.row] = kind;
    }
  });
  const marks: OverviewMark[] = [];
  kinds.forEach((kind, row) => {
    if (kind > 0) {
      marks.push({ row, kind: kind === 2 ? 'nan' : 'inf', at: row / rows });
    }
  });
  return marks;
}
