import type { Row } from '@tanstack/react-table';
import { flexRender } from '@tanstack/react-table';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { isColumnId } from './tensor-sort';

export interface TensorTableRowProps {
  row: Row<TensorRow>;
  /** Position in the sorted, filtered list (0-based). */
  index: number;
  selected: boolean;
  /** Absolute positioning when virtualized; undefined when rendered in normal flow. */
  style: CSSProperties | undefined;
  onSelect(key: string): void;
  /** Moves keyboard focus to the row at this list index. */
  onFocusIndex(index: number): void;
}

/**
 * One tensor row. The `data-*` attributes are a contract with the end-to-end tests:
 * `data-nan` is the NaN count as a decimal integer, 0 before the tensor is scanned.
 */
export function TensorTableRow(props: TensorTableRowProps): ReactNode {
  const { row, index, selected, onSelect, onFocusIndex } = props;
  const tensor = row.original;
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
      style={props.style}
      data-testid="tensor-row"
      data-index={index}
      data-key={tensor.key}
      data-name={tensor.info.name}
      data-file={tensor.fileName}
      data-nan={String(tensor.stats?.nan ?? 0)}
      onClick={() => onSelect(tensor.key)}
      onKeyDown={onKeyDown}
    >
      {row.getVisibleCells().map((cell) => {
        const id = cell.column.id;
        const numeric = isColumnId(id) && COLUMN_LABELS[id].numeric;
        return (
          <div key={cell.id} role="gridcell" className={numeric ? 'tt-cell tt-num' : 'tt-cell'}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </div>
        );
      })}
    </div>
  );
}
