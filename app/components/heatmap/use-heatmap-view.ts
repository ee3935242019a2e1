import { useMemo } from 'react';
import { groupExperts } from '../../../core/layout/group-experts';
import type { Metric, TensorRow } from '../../model/tensor-row';
import { pickCellSize } from './cell-size';
import type { CellSize } from './cell-size';
import { summarizeCells } from './cell-summary';
import type { CellSummary } from './cell-summary';
import { cellTitle } from './cell-tooltip';
import { layoutLayerGrid } from './heatmap-layout';
import { layoutExpertGroups, siblingExpertModules } from './expert-groups-layout';
import type { HeatmapLayout } from './heatmap-layout';
import { paintCells } from './heatmap-paint';
import type { Painting } from './heatmap-paint';
import { groupRows } from './row-grid';
import { useRowGrid } from './use-row-grid';

/** Shown while a large checkpoint's grid is laid out: no cells. */
const EMPTY_GRID = groupRows([]);

export interface HeatmapView {
  readonly layout: HeatmapLayout;
  /** Parallel to layout.cells. */
  readonly summaries: readonly CellSummary[];
  /** Hover texts, parallel to layout.cells; not rebuilt when only the metric changes. */
  readonly titles: readonly string[];
  readonly painting: Painting;
  readonly size: CellSize;
  /** The expert projection shown, or null for the main layers x modules grid. */
  readonly drillModule: string | null;
  /** True while the grid of a large checkpoint is being laid out (the layout is empty meanwhile). */
  readonly layingOut: boolean;
}

/**
 * Grouping, layout, totals and colours, each recomputed only when what it depends on changes:
 * a stats update re-sums without re-grouping, a metric change only repaints, a selection change
 * recomputes nothing.
 */
export function useHeatmapView(
  rows: readonly TensorRow[],
  metric: Metric,
  drillModule: string | null,
  unscanned?: string,
): HeatmapView {
  const built = useRowGrid(rows);
  const grid = built ?? EMPTY_GRID;
  // The drill-down shows the clicked projection and its siblings (gate, up, down side by side).
  const experts = useMemo(
    () =>
      drillModule === null
        ? null
        : siblingExpertModules(grid.modules, drillModule).map((m) => groupExperts(grid, m)),
    [grid, drillModule],
  );
  // A drill-down whose projection is gone (another file was opened) falls back to the main grid.
  const shownDrill =
    experts !== null && experts.some((e) => e.module === drillModule && e.experts.length > 0)
      ? experts
      : null;
  const layout = useMemo(
    () => (shownDrill === null ? layoutLayerGrid(grid) : layoutExpertGroups(shownDrill)),
    [grid, shownDrill],
  );
  const summaries = useMemo(() => summarizeCells(layout.cells, rows), [layout, rows]);
  const titles = useMemo(
    () => layout.cells.map((cell, i) => cellTitle(cell, summaries[i], unscanned)),
    [layout, summaries, unscanned],
  );
  const painting = useMemo(
    () => paintCells(layout.cells, summaries, metric),
    [layout, summaries, metric],
  );
  return {
    layout,
    summaries,
    titles,
    painting,
    size: pickCellSize(layout.columnLabels.length),
    drillModule: shownDrill === null ? null : drillModule,
    layingOut: built === null,
  };
}
