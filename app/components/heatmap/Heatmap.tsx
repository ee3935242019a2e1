import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { Metric, TensorRow } from '../../model/tensor-row';
import { useBoxSize } from '../../hooks/use-box-size';
import { pickWorstTensor } from './cell-summary';
import { formatCount } from './cell-tooltip';
import { parentModule } from './expert-groups-layout';
import { fitCells } from './fit-cells';
import { isNavKey, moveActive } from './grid-navigation';
import { HeatmapCard } from './HeatmapCard';
import { HeatmapGrid } from './HeatmapGrid';
import { HeatmapLegend } from './HeatmapLegend';
import { MetricSelect } from './MetricSelect';
import { OutsideStrip } from './OutsideStrip';
import { CELL_INDEX_ATTRIBUTE, cellIndexOf } from './render-cell';
import { useHeatmapView } from './use-heatmap-view';
import { PENDING_WORDING } from '../../remote/unread-wording';
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
  /** The expert projection drilled into (with its siblings), or null; owned by the page's history. */
  readonly drill: string | null;
  onDrillChange(module: string | null): void;
  /** What unscanned cells are called (default "not scanned yet"; app/remote/unread-wording.ts). */
  readonly unscanned?: string;
}

/**
 * Share of the window's height the cells may take: with the column labels and the toolbar the
 * heatmap of a 94-layer model stays within one screen at 1440 × 1000, without an inner scrollbar.
 */
const FIT_HEIGHT_SHARE = 0.55;
/** The cells never get less height than this, whatever the window (a small window scrolls). */
const MIN_FIT_HEIGHT_PX = 240;
/** Width taken by the row labels, the border and the grid's right padding. */
const ROW_LABELS_PX = 56;

function summaryText(
  layout: HeatmapLayout,
  summaries: readonly CellSummary[],
  drill: boolean,
): string {
  const nanCells = summaries.filter((s) => s.nan > 0).length;
  const layers = layout.rowLabels.length;
  const rows = `${formatCount(layers)} layer${layers === 1 ? '' : 's'}`;
  const count = drill
    ? layout.columnLabels.filter((l) => l !== '').length
    : layout.columnLabels.length;
  const columns = `${formatCount(count)} ${drill ? 'expert columns' : count === 1 ? 'module' : 'modules'}`;
  const nan =
    nanCells === 0
      ? 'no NaN'
      : `${formatCount(nanCells)} cell${nanCells === 1 ? '' : 's'} with NaN`;
  return `${rows} × ${columns} · ${nan}`;
}

/**
 * Layers x modules heatmap of one metric, with a layers x experts drill-down showing every
 * projection of an MoE block side by side. Cells shrink so that every layer fits on screen.
 * Keyboard: Tab to the grid, arrows move, Enter opens, Escape leaves the drill-down.
 */
export function Heatmap({
  rows,
  metric,
  onMetricChange,
  onSelectTensor,
  selectedKey,
  drill,
  onDrillChange,
  unscanned = PENDING_WORDING,
}: HeatmapProps) {
  const [active, setActive] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState(false);
  const view = useHeatmapView(rows, metric, drill, unscanned);
  const { layout, summaries, titles, painting, size, drillModule, layingOut } = view;
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [bodyElement, setBodyElement] = useState<HTMLDivElement | null>(null);
  const attachBody = useCallback((element: HTMLDivElement | null) => {
    bodyRef.current = element;
    setBodyElement(element);
  }, []);
  const box = useBoxSize(bodyElement);
  const fit = useMemo(
    () =>
      fitCells(
        size,
        layout.rowLabels.length,
        layout.columnLabels.length,
        box === null
          ? null
          : {
              width: box.width - ROW_LABELS_PX,
              height: Math.max(MIN_FIT_HEIGHT_PX, box.viewportHeight * FIT_HEIGHT_SHARE),
            },
      ),
    [size, layout, box],
  );
  const selected = useMemo(() => {
    const rowIndex = selectedKey === null ? -1 : rows.findIndex((row) => row.key === selectedKey);
    return rowIndex < 0 ? null : findCellOfRow(layout, rowIndex);
  }, [rows, layout, selectedKey]);
  const activeTitle = active === null ? '' : (titles[active] ?? '');
  const cardIndex = hover ?? (focused ? active : null);
  // Hover re-renders the heatmap: the summary (a pass over every cell) is computed once per update.
  const summary = useMemo(
    () => summaryText(layout, summaries, drillModule !== null),
    [layout, summaries, drillModule],
  );

  useEffect(() => {
    if (active !== null) {
      bodyRef.current
        ?.querySelector(`[${CELL_INDEX_ATTRIBUTE}="${active}"]`)
        ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [active]);

  const openDrill = (module: string | null) => {
    onDrillChange(module);
    setActive(null);
    setHover(null);
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

  const onMouseOver = (event: MouseEvent) => {
    const index = cellIndexOf(event.target);
    setHover((prev) => (prev === index ? prev : index));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isNavKey(event.key)) {
      event.preventDefault();
      setHover(null);
      setActive(moveActive(layout, active, event.key));
    } else if ((event.key === 'Enter' || event.key === ' ') && active !== null) {
      event.preventDefault();
      activate(active);
    } else if (event.key === 'Escape' && drillModule !== null) {
      // The page's Escape (close the detail) must not also fire.
      event.stopPropagation();
      openDrill(null);
    }
  };

  const empty = layout.cells.length === 0;
  return (
    <section className="hm" aria-label="Layer heatmap" data-drill={drillModule ?? undefined}>
      <div className="hm-toolbar">
        {drillModule !== null && (
          <button type="button" data-testid="heatmap-back" onClick={() => openDrill(null)}>
            ← All layers
          </button>
        )}
        <span className="hm-title">
          {drillModule === null
            ? 'Layers × modules'
            : `${parentModule(drillModule)} · layers × experts of every projection`}
        </span>
        <span className="hm-summary">{summary}</span>
        <MetricSelect metric={metric} onChange={onMetricChange} />
      </div>
      <HeatmapLegend metric={metric} scale={painting.scale} unscanned={unscanned} />
      {layingOut ? (
        <p className="hm-summary" data-testid="heatmap-laying-out">
          Laying out {formatCount(rows.length)} tensors…
        </p>
      ) : empty ? (
        <p className="hm-summary">No tensors.</p>
      ) : (
        <div
          ref={attachBody}
          className="hm-body"
          tabIndex={0}
          role="group"
          aria-label="Heatmap cells: arrow keys move, Enter opens"
          onClick={onClick}
          onKeyDown={onKeyDown}
          onMouseOver={onMouseOver}
          onMouseLeave={() => setHover(null)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
        >
          {layout.rowLabels.length > 0 && (
            <HeatmapGrid
              layout={layout}
              summaries={summaries}
              titles={titles}
              classNames={painting.classNames}
              fit={fit}
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
          {cardIndex !== null && (
            <HeatmapCard
              layout={layout}
              summaries={summaries}
              rows={rows}
              metric={metric}
              index={cardIndex}
              hostRef={bodyRef}
              unscanned={unscanned}
            />
          )}
          <div className="hm-visually-hidden" aria-live="polite">
            {activeTitle}
          </div>
        </div>
      )}
    </section>
  );
}
