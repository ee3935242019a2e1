import { memo } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { BODY_COLUMNS, CELL_RENDERERS } from './columns';

export interface TensorTableRowProps {
  tensor: TensorRow;
  /** Position in the sorted, filtered list (0-based). */
  index: number;
  selected: boolean;
  /** Offset from the top of the list when virtualized; null when rendered in normal flow. */
  top: number | null;
  /** Stable across renders (the row is memoized). */
  onSelect(key: string): void;
  /** Moves keyboard focus to the row at this list index; stable across renders. */
  onFocusIndex(index: number): void;
}

/**
 * One tensor row, rendered again only when its tensor, place or selection changes: while the
 * table scrolls, only the rows entering the window are rendered. The `data-*` attributes are a
 * contract with the end-to-end tests: `data-nan` is the NaN count as a decimal integer, 0 before
 * the tensor is scanned.
 */
export const TensorTableRow = memo(function TensorTableRow(props: TensorTableRowProps): ReactNode {
  const { tensor, index, selected, top, onSelect, onFocusIndex } = props;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(tensor.key);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      onFocusIndex(index + (e.key === 'ArrowDown' ? 1 : -1));
    }
  };
  return (
    <div
      role="row"
      tabIndex={0}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'tt-row tt-cols tt-selected' : 'tt-row tt-cols'}
      style={
        top === null
          ? undefined
          : { position: 'absolute', top: 0, transform: `translateY(${top}px)` }
      }
      data-testid="tensor-row"
      data-index={index}
      data-key={tensor.key}
      data-name={tensor.info.name}
      data-file={tensor.fileName}
      data-nan={String(tensor.stats?.nan ?? 0)}
      onClick={() => onSelect(tensor.key)}
      onKeyDown={onKeyDown}
    >
      {BODY_COLUMNS.map((id) => (
        <div
          key={id}
          role="gridcell"
          className={COLUMN_LABELS[id].numeric ? 'tt-cell tt-num' : 'tt-cell'}
        >
          {CELL_RENDERERS[id](tensor)}
        </div>
      ))}
    </div>
  );
});
