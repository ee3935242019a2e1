import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, ReactElement } from 'react';
import type { CellPaint } from './cell-layer';
import type { FittedCells } from './fit-cells';
import { HeatmapCells } from './HeatmapCells';
import type { HeatmapLayout } from './heatmap-layout';
import { visibleName } from '../../../core/report/display-name';
import { overviewMarks } from './overview-marks';

interface HeatmapGridProps extends CellPaint {
  readonly layout: HeatmapLayout;
  readonly fit: FittedCells;
  readonly cornerLabel: string;
  readonly selected: number | null;
  readonly active: number | null;
}

function columnHeaders(labels: readonly string[], every: number, row: number): ReactElement[] {
  if (every <= 1) {
    return labels.map((label, c) => (
      <div key={c} className="hm-col-label" title={visibleName(label)} style={{ gridRow: row }}>
        {visibleName(label)}
      </div>
    ));
  }
  // Narrow cells: one flat label per group of columns, spanning the group.
  const headers: ReactElement[] = [];
  let c = 0;
  while (c < labels.length) {
    if (labels[c] === '') {
      c += 1; // a separator between column groups starts the counting again
      continue;
    }
    let span = 1;
    while (span < every && c + span < labels.length && labels[c + span] !== '') {
      span += 1;
    }
    headers.push(
      <div
        key={c}
        className="hm-col-label hm-col-label-flat"
        style={{ gridRow: row, gridColumn: `${c + 1} / span ${span}` }}
      >
        {visibleName(labels[c])}
      </div>,
    );
    c += span;
  }
  return headers;
}

/** Labels change with the layout and cell size only: kept out of the selection and paint re-renders. */
const GridLabels = memo(function GridLabels({
  layout,
  fit,
  cornerLabel,
}: Pick<HeatmapGridProps, 'layout' | 'fit' | 'cornerLabel'>) {
  const columns = `repeat(${layout.columnLabels.length}, var(--hm-cell-w))`;
  const groups = layout.columnGroups ?? [];
  return (
    <>
      <div className="hm-corner">{cornerLabel}</div>
      <div className="hm-col-labels" style={{ gridTemplateColumns: columns }}>
        {groups.map((g) => (
          <div
            key={g.start}
            className="hm-col-group"
            data-testid="heatmap-column-group"
            style={{ gridRow: 1, gridColumn: `${g.start + 1} / span ${g.count}` }}
          >
            {g.label}
          </div>
        ))}
        {columnHeaders(layout.columnLabels, fit.columnLabelEvery, groups.length > 0 ? 2 : 1)}
      </div>
      <div className="hm-row-labels">
        {layout.rowLabels.map((label, r) => (
          <div key={r}>{r % fit.rowLabelEvery === 0 ? label : ''}</div>
        ))}
      </div>
    </>
  );
});

function Marker({
  layout,
  index,
  kind,
}: {
  layout: HeatmapLayout;
  index: number | null;
  kind: string;
}) {
  const cell = index === null ? undefined : layout.cells[index];
  if (cell === undefined || cell.row === null || cell.col === null) {
    return null;
  }
  // Grid lines are 1-based.
  return (
    <div
      className={`hm-marker hm-marker-${kind}`}
      style={{ gridRow: cell.row + 1, gridColumn: cell.col + 1 }}
    />
  );
}

/** Corner, column and row labels, the cells, and the selection and keyboard markers over them. */
export function HeatmapGrid(props: HeatmapGridProps) {
  const { layout, fit, cornerLabel, selected, active } = props;
  const columns = `repeat(${layout.columnLabels.length}, var(--hm-cell-w))`;
  const sizes = {
    '--hm-cell-w': `${fit.width}px`,
    '--hm-cell-h': `${fit.height}px`,
    '--hm-gap': `${fit.gap}px`,
  } as CSSProperties;
  const small = fit.width < 10 || fit.height < 10 ? ' hm-small' : '';
  const scrollRef = useRef<HTMLDivElement>(null);
  // More layers than fit even at the smallest cell: an overview strip marks the NaN rows.
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    // Measured at the next frame, not in the commit: reading the size forces the layout of every
    // cell, ~70 ms at a million tensors, which made the commit that first shows them a long task.
    const frame = requestAnimationFrame(() => {
      const box = scrollRef.current;
      if (box !== null) {
        setOverflowing(box.scrollHeight > box.clientHeight + 1);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [layout, fit]);
  const marks = useMemo(
    () => (overflowing ? overviewMarks(layout, props.summaries) : []),
    [overflowing, layout, props.summaries],
  );
  const scrollToRow = (row: number): void => {
    const box = scrollRef.current;
    const labels = box?.querySelector<HTMLElement>('.hm-col-labels');
    if (box === null || box === undefined) {
      return;
    }
    const top = (labels?.offsetHeight ?? 0) + row * (fit.height + fit.gap);
    box.scrollTo({ top: Math.max(0, top - box.clientHeight / 2) });
  };
  return (
    <div className="hm-frame">
      <div ref={scrollRef} className="hm-scroll" data-testid="heatmap-box">
        <div className={`hm-grid${small}`} style={sizes}>
          <GridLabels layout={layout} fit={fit} cornerLabel={cornerLabel} />
          <div className="hm-cells-wrap">
            <HeatmapCells
              layout={layout}
              summaries={props.summaries}
              classNames={props.classNames}
              titles={props.titles}
            />
            <div className="hm-markers" style={{ gridTemplateColumns: columns }}>
              <Marker layout={layout} index={selected} kind="selected" />
              <Marker layout={layout} index={active} kind="active" />
            </div>
          </div>
        </div>
      </div>
      {overflowing && (
        <div className="hm-overview" data-testid="heatmap-overview" aria-hidden="true">
          {marks.map((m) => (
            <div
              key={m.row}
              className={`hm-overview-mark hm-overview-${m.kind}`}
              data-row={layout.rowLabels[m.row]}
              style={{ top: `${m.at * 100}%` }}
              title={`layer ${layout.rowLabels[m.row]}: ${m.kind === 'nan' ? 'NaN' : 'Inf'}`}
              onClick={(e) => {
                e.stopPropagation();
                scrollToRow(m.row);
              }}
            />
          ))}
        </div>
      )}
    </div>
  );
}
