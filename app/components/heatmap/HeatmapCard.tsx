import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';
import type { Metric, TensorRow } from '../../model/tensor-row';
import { visibleName } from '../../../core/report/display-name';
import { pickWorstTensor } from './cell-summary';
import type { CellSummary } from './cell-summary';
import { formatAbsmax, formatCount } from './cell-tooltip';
import { rowTitle } from './heatmap-layout';
import type { HeatmapLayout } from './heatmap-layout';
import { CELL_INDEX_ATTRIBUTE } from './render-cell';

interface HeatmapCardProps {
  readonly layout: HeatmapLayout;
  readonly summaries: readonly CellSummary[];
  readonly rows: readonly TensorRow[];
  readonly metric: Metric;
  /** The hovered cell, else the keyboard-focused one; null hides the card. */
  readonly index: number;
  /** The positioned element the cells live in (the card is placed relative to it). */
  readonly hostRef: RefObject<HTMLElement | null>;
  /** What unscanned tensors are called. */
  readonly unscanned: string;
}

/** Gap between a cell and its card. */
const CARD_OFFSET_PX = 10;

function worstName(rows: readonly TensorRow[], indices: readonly number[], metric: Metric) {
  const key = pickWorstTensor(rows, indices, metric);
  for (const i of indices) {
    if (rows[i].key === key) {
      return rows[i].info.name;
    }
  }
  return null;
}

/**
 * The instant hover card of a heatmap cell (the browser's title tooltip waits a second): where the
 * cell is, its exact counts, and the tensor a click opens. Shown for the keyboard-focused cell too.
 */
export function HeatmapCard({
  layout,
  summaries,
  rows,
  metric,
  index,
  hostRef,
  unscanned,
}: HeatmapCardProps) {
  const cardRef = useRef<HTMLDivElement>(null);
  const cell = layout.cells[index];
  const summary = summaries[index];

  useLayoutEffect(() => {
    const host = hostRef.current;
    const card = cardRef.current;
    const target = host?.querySelector(`[${CELL_INDEX_ATTRIBUTE}="${index}"]`);
    if (host === null || card === null || target === null || target === undefined) {
      return;
    }
    const hostBox = host.getBoundingClientRect();
    const cellBox = target.getBoundingClientRect();
    let left = cellBox.right - hostBox.left + CARD_OFFSET_PX;
    if (left + card.offsetWidth > host.clientWidth) {
      left = Math.max(0, cellBox.left - hostBox.left - CARD_OFFSET_PX - card.offsetWidth);
    }
    const top = Math.max(0, cellBox.top - hostBox.top - card.offsetHeight / 2);
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  });

  if (cell === undefined || summary === undefined) {
    return null;
  }
  const where = [rowTitle(cell.layer), visibleName(cell.module)];
  if (cell.expert !== null) {
    where.push(`expert ${cell.expert}`);
  }
  const worst = worstName(rows, cell.rowIndices, metric);
  const pending = summary.tensors - summary.scanned;
  const missing = summary.missing ?? 0;
  const failed = summary.failed ?? 0;
  return (
    <div
      ref={cardRef}
      className="hm-card"
      data-testid="heatmap-card"
      data-layer={cell.layer}
      data-module={cell.module}
      data-expert={cell.expert === null ? undefined : String(cell.expert)}
      aria-hidden="true"
    >
      <div className="hm-card-title">{where.join(' · ')}</div>
      {missing > 0 && (
        <div className="hm-card-bad">
          {formatCount(missing)} tensor{missing === 1 ? '' : 's'} in a missing shard
        </div>
      )}
      {failed > 0 && (
        <div className="hm-card-bad">
          {formatCount(failed)} read{failed === 1 ? '' : 's'} failed: not scanned
        </div>
      )}
      {summary.scanned === 0 ? (
        <div className="hm-card-muted">{missing + failed > 0 ? 'nothing scanned' : unscanned}</div>
      ) : (
        <dl className="hm-card-counts">
          <dt>NaN</dt>
          <dd className={summary.nan > 0 ? 'hm-card-bad' : undefined}>
            {formatCount(summary.nan)}
          </dd>
          <dt>Inf</dt>
          <dd className={summary.inf > 0 ? 'hm-card-bad' : undefined}>
            {formatCount(summary.inf)}
          </dd>
          <dt>zero</dt>
          <dd>{formatCount(summary.zero)}</dd>
          <dt>saturated</dt>
          <dd>{formatCount(summary.saturated)}</dd>
          <dt>absmax</dt>
          <dd>{formatAbsmax(summary.absmax)}</dd>
        </dl>
      )}
      <div className="hm-card-muted">
        {formatCount(summary.tensors)} tensor{summary.tensors === 1 ? '' : 's'}
        {pending > 0 ? `, ${formatCount(pending)} ${unscanned}` : ''}
      </div>
      {cell.drillExperts > 0 ? (
        <div className="hm-card-action">
          Click: every expert of {formatCount(cell.drillExperts)}, all projections
        </div>
      ) : (
        worst !== null && (
          <div className="hm-card-worst">
            worst tensor <code>{visibleName(worst)}</code>
          </div>
        )
      )}
    </div>
  );
}
