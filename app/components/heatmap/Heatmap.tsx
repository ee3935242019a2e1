import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { Metric, TensorRow } from '../../model/tensor-row';
import { pickWorstTensor } from './cell-summary';
import { formatCount } from './cell-tooltip';
import { isNavKey, moveActive } from './grid-navigation';
import { HeatmapGrid } from './HeatmapGrid';
import { HeatmapLegend } from './HeatmapLegend';
import { MetricSelect } from './MetricSelect';
import { OutsideStrip } from './OutsideStrip';
import { CELL_INDEX_ATTRIBUTE, cellIndexOf } from './render-cell';
import { useHeatmapView } from './use-heatmap-view';
import { findCellOfRow } from './heatmap-layout';
import type { HeatmapLayout } from './heatmap-layout';
import type { CellSummary } from './cell-summary';
import './heatmap.css';

export interface HeatmapProps {
  readonly rows: readonly TensorRow[];
  readonly metric: Metric;
  onMetricChange(metric: Metric): void;
  /** Called with TensorRow.key of the worst tensor of a clicked cell. */
  onSelectTensor(key: string): void;
  readonly selectedKey: string | null;
}

function summaryText(
  layout: HeatmapLayout,
  summaries: readonly CellSummary[],
  drill: boolean,
): string {
  const nanCells = summaries.filter((s) => s.nan > 0).length;
  const rows = `${formatCount(layout.rowLabels.length)} layers`;
  const columns = `${formatCount(layout.columnLabels.length)} ${drill ? 'experts' : 'modules'}`;
  const nan =
    nanCells === 0
      ? 'no NaN'
      : `${formatCount(nanCells)} cell${nanCells === 1 ? '' : 's'} with NaN`;
  return `${rows} × ${columns} · ${nan}`;
}

/**
 * Layers x modules heatmap of one metric, with a layers x experts drill-down for MoE projections.
 * Keyboard: Tab to the grid, arrows move, Enter opens, Escape leaves the drill-down.
 */
export function Heatmap({
  rows,
  metric,
  onMetricChange,
  onSelectTensor,
  selectedKey,
}: HeatmapProps) {
  const [drillRequest, setDrillRequest] = useState<string | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const view = useHeatmapView(rows, metric, drillRequest);
  const { layout, summaries, titles, painting, size, drillModule } = view;
  const bodyRef = useRef<HTMLDivElement>(null);
  const selected = useMemo(() => {
    const rowIndex = selectedKey === null ? -1 : rows.findIndex((row) => row.key === selectedKey);
    return rowIndex < 0 ? null : findCellOfRow(layout, rowIndex);
  }, [rows, layout, selectedKey]);
  const activeTitle = active === null ? '' : (titles[active] ?? '');

  useEffect(() => {
    if (active !== null) {
      bodyRef.current
        ?.querySelector(`[${CELL_INDEX_ATTRIBUTE}="${active}"]`)
        ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [active]);

  const openDrill = (module: string | null) => {
    setDrillRequest(module);
    setActive(null);
  };

  const activate = (index: number) => {
    const cell = layout.cells[index];
    if (cell === undefined) {
      return;
    }
    if (drillModule === null && cell.drillExperts > 0) {
      openDrill(cell.module);
      return;
    }
    setActive(index);
    const key = pickWorstTensor(rows, cell.rowIndices, metric);
    if (key !== null) {
      onSelectTensor(key);
    }
  };

  const onClick = (event: MouseEvent) => {
    const index = cellIndexOf(event.target);
    if (index !== null) {
      activate(index);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isNavKey(event.key)) {
      event.preventDefault();
      setActive(moveActive(layout, active, event.key));
    } else if ((event.key === 'Enter' || event.key === ' ') && active !== null) {
      event.preventDefault();
      activate(active);
    } else if (event.key === 'Escape' && drillModule !== null) {
      openDrill(null);
    }
  };

  const empty = layout.cells.length === 0;
  return (
    <section className="hm" aria-label="Layer heatmap">
      <div className="hm-toolbar">
        {drillModule !== null && (
          <button type="button" onClick={() => openDrill(null)}>
            ← All layers
          </button>
        )}
        <span className="hm-title">
          {drillModule === null ? 'Layers × modules' : `${drillModule} · layers × experts`}
        </span>
        <span className="hm-summary">{summaryText(layout, summaries, drillModule !== null)}</span>
        <MetricSelect metric={metric} onChange={onMetricChange} />
      </div>
      <HeatmapLegend metric={metric} scale={painting.scale} />
      {empty ? (
        <p className="hm-summary">No tensors.</p>
      ) : (
        <div
          ref={bodyRef}
          className="hm-body"
          tabIndex={0}
          role="group"
          aria-label="Heatmap cells: arrow keys move, Enter opens"
          onClick={onClick}
          onKeyDown={onKeyDown}
        >
          {layout.rowLabels.length > 0 && (
            <HeatmapGrid
              layout={layout}
              summaries={summaries}
              titles={titles}
              classNames={painting.classNames}
              size={size}
              cornerLabel={drillModule === null ? 'layer' : 'layer \\ expert'}
              selected={selected}
              active={active}
            />
          )}
          <OutsideStrip
            layout={layout}
            summaries={summaries}
            titles={titles}
            classNames={painting.classNames}
            selected={selected}
            active={active}
          />
          <div className="hm-visually-hidden" aria-live="polite">
            {activeTitle}
          </div>
        </div>
      )}
    </section>
  );
}
