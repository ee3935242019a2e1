import { memo } from 'react';
import type { ReactElement } from 'react';
import type { CellSize } from './cell-size';
import { showsLabel } from './cell-size';
import type { CellPaint } from './cell-layer';
import { HeatmapCells } from './HeatmapCells';
import type { HeatmapLayout } from './heatmap-layout';

interface HeatmapGridProps extends CellPaint {
  readonly layout: HeatmapLayout;
  readonly size: CellSize;
  readonly cornerLabel: string;
  readonly selected: number | null;
  readonly active: number | null;
}

function columnHeaders(labels: readonly string[], size: CellSize): ReactElement[] {
  if (showsLabel(size, 'column', 1)) {
    return labels.map((label, c) => (
      <div key={c} className="hm-col-label" title={label}>
        {label}
      </div>
    ));
  }
  // Narrow cells: one flat label per group of columns, spanning the group.
  const headers: ReactElement[] = [];
  for (let c = 0; c < labels.length; c += 1) {
    if (!showsLabel(size, 'column', c)) {
      continue;
    }
    let span = 1;
    while (c + span < labels.length && !showsLabel(size, 'column', c + span)) {
      span += 1;
    }
    headers.push(
      <div
        key={c}
        className="hm-col-label hm-col-label-flat"
        style={{ gridColumn: `span ${span}` }}
      >
        {labels[c]}
      </div>,
    );
  }
  return headers;
}

/** Labels change with the layout only: kept out of the selection and paint re-renders. */
const GridLabels = memo(function GridLabels({
  layout,
  size,
  cornerLabel,
}: Pick<HeatmapGridProps, 'layout' | 'size' | 'cornerLabel'>) {
  const columns = `repeat(${layout.columnLabels.length}, var(--hm-cell-w))`;
  return (
    <>
      <div className="hm-corner">{cornerLabel}</div>
      <div className="hm-col-labels" style={{ gridTemplateColumns: columns }}>
        {columnHeaders(layout.columnLabels, size)}
      </div>
      <div className="hm-row-labels">
        {layout.rowLabels.map((label, r) => (
          <div key={r}>{showsLabel(size, 'row', r) ? label : ''}</div>
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
  const { layout, size, cornerLabel, selected, active } = props;
  const columns = `repeat(${layout.columnLabels.length}, var(--hm-cell-w))`;
  return (
    <div className="hm-scroll">
      <div className={`hm-grid hm-size-${size}`}>
        <GridLabels layout={layout} size={size} cornerLabel={cornerLabel} />
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
  );
}
