import { memo } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { BODY_COLUMNS, CELL_RENDERERS, copyName } from './columns';

/** Rows moved by PageUp / PageDown (about one viewport of the default table height). */
export const PAGE_ROWS = 14;

export interface TensorTableRowProps {
  tensor: TensorRow;
  /** Position in the sorted, filtered list (0-based). */
  index: number;
  selected: boolean;
  /** The table's single Tab stop (roving tabindex): this row takes Tab, the others -1. */
  tabbable: boolean;
  /** Offset from the top of the list when virtualized; null when rendered in normal flow. */
  top: number | null;
  /** Stable across renders (the row is memoized). */
  onSelect(key: string): void;
  /** Moves keyboard focus to the row at this list index (clamped); -1 means the header. Stable. */
  onFocusIndex(index: number): void;
  /** The row got the focus (it becomes the Tab stop). Stable. */
  onFocused(index: number): void;
}

function targetIndex(key: string, index: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return index + 1;
    case 'ArrowUp':
      return index - 1;
    case 'PageDown':
      return index + PAGE_ROWS;
    case 'PageUp':
      return Math.max(0, index - PAGE_ROWS);
    case 'Home':
      return 0;
    case 'End':
      return Number.MAX_SAFE_INTEGER;
    default:
      return null;
  }
}

/**
 * One tensor row, rendered again only when its tensor, place, selection or Tab stop changes:
 * while the table scrolls, only the rows entering the window are rendered. The `data-*`
 * attributes are a contract with the end-to-end tests: `data-nan` is the NaN count as a decimal
 * integer, 0 before the tensor is scanned.
 */
export const TensorTableRow = memo(function TensorTableRow(props: TensorTableRowProps): ReactNode {
  const { tensor, index, selected, tabbable, top, onSelect, onFocusIndex, onFocused } = props;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(tensor.key);
      return;
    }
    // `c` or Ctrl/Cmd+C copies the name (unless some text is selected: then the browser copies it).
    if (e.key === 'c' && !e.altKey && !e.shiftKey) {
      if (window.getSelection()?.toString() === '') {
        e.preventDefault();
        copyName(tensor.info.name);
      }
      return;
    }
    const target = targetIndex(e.key, index);
    if (target !== null) {
      e.preventDefault();
      onFocusIndex(target);
    }
  };
  return (
    <div
      role="row"
      tabIndex={tabbable ? 0 : -1}
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
      onFocus={(e) => {
        if (e.target === e.currentTarget) {
          onFocused(index);
        }
      }}
    >
      {BODY_COLUMNS.map((id) => (
        <div
          key={id}
          role="gridcell"
          className={COLUMN_LABELS[id].numeric ? 'tt-cell tt-num' : 'tt-cell'}
          data-column={id}
        >
          {CELL_RENDERERS[id](tensor)}
        </div>
      ))}
    </div>
  );
});
