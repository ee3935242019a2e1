import type { CellSummary } from './cell-summary';
import type { HeatmapLayout } from './heatmap-layout';
import { renderCell } from './render-cell';
import { visibleName } from '../../../core/report/display-name';

interface OutsideStripProps {
  readonly layout: HeatmapLayout;
  readonly summaries: readonly CellSummary[];
  readonly titles: readonly string[];
  readonly classNames: readonly string[];
  readonly selected: number | null;
  readonly active: number | null;
}

/** Tensors outside the repeated blocks (embeddings, head, final norm): labelled cells in a row. */
export function OutsideStrip({
  layout,
  summaries,
  titles,
  classNames,
  selected,
  active,
}: OutsideStripProps) {
  if (layout.outsideIndices.length === 0) {
    return null;
  }
  return (
    <div className="hm-outside">
      <span className="hm-outside-title">
        {layout.rowLabels.length === 0 ? 'Tensors' : 'Outside layers'}
      </span>
      {layout.outsideIndices.map((index) => {
        const cell = layout.cells[index];
        const marks = `${index === selected ? ' hm-selected' : ''}${index === active ? ' hm-active' : ''}`;
        return (
          <span key={index} className="hm-outside-item">
            {renderCell(cell, summaries[index], index, classNames[index] + marks, titles[index])}
            <span className="hm-outside-name" title={visibleName(cell.module)}>
              {visibleName(cell.module)}
            </span>
          </span>
        );
      })}
    </div>
  );
}
