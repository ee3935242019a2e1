import type { Header } from '@tanstack/react-table';
import { flexRender } from '@tanstack/react-table';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { KEYBOARD_RESIZE_PX } from './column-widths';
import type { ColumnId } from './tensor-sort';
import { isColumnId } from './tensor-sort';

function ariaSort(header: Header<TensorRow, unknown>): 'ascending' | 'descending' | 'none' {
  const sorted = header.column.getIsSorted();
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

const SORT_ARROWS = { asc: ' ▲', desc: ' ▼' } as const;

interface TableHeaderProps {
  headers: Header<TensorRow, unknown>[];
  /** Current width of a column, in px. */
  widthOf(id: ColumnId): number;
  onResize(id: ColumnId, px: number): void;
  /** ArrowDown from a header: back into the rows. */
  onLeaveDown(): void;
}

function focusSibling(from: HTMLElement, step: 1 | -1): void {
  const buttons = [...(from.closest('.tt-head')?.querySelectorAll<HTMLElement>('.tt-sort') ?? [])];
  const at = buttons.indexOf(from);
  buttons[Math.min(buttons.length - 1, Math.max(0, at + step))]?.focus();
}

/**
 * The sticky header row; each header is a button that cycles its column's sort. The buttons are
 * not Tab stops (the table is one): ArrowUp from the first row reaches them, Left/Right move,
 * Shift+Left/Right resize, ArrowDown goes back. A drag on a header's right edge resizes it.
 */
export function TableHeader({
  headers,
  widthOf,
  onResize,
  onLeaveDown,
}: TableHeaderProps): ReactNode {
  const onKeyDown = (id: ColumnId | null, e: KeyboardEvent<HTMLButtonElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0 && e.shiftKey && id !== null) {
      e.preventDefault();
      onResize(id, widthOf(id) + step * KEYBOARD_RESIZE_PX);
    } else if (step !== 0) {
      e.preventDefault();
      focusSibling(e.currentTarget, step);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      onLeaveDown();
    }
  };
  const startDrag = (id: ColumnId, e: PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    e.stopPropagation();
    const handle = e.currentTarget;
    const startX = e.clientX;
    const startWidth = widthOf(id);
    handle.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent): void =>
      onResize(id, startWidth + ev.clientX - startX);
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };
  return (
    <div className="tt-head tt-cols" role="row" aria-rowindex={1}>
      {headers.map((header) => {
        const rawId = header.column.id;
        const id = isColumnId(rawId) ? rawId : null;
        const label = id === null ? null : COLUMN_LABELS[id];
        const sorted = header.column.getIsSorted();
        return (
          <div
            key={header.id}
            role="columnheader"
            aria-sort={ariaSort(header)}
            className={label?.numeric === true ? 'tt-cell tt-num' : 'tt-cell'}
            data-column={rawId}
          >
            <button
              type="button"
              className="tt-sort"
              tabIndex={-1}
              title={
                label === null ? undefined : `${label.title}: click to sort, Shift+←/→ to resize`
              }
              onClick={header.column.getToggleSortingHandler()}
              onKeyDown={(e) => onKeyDown(id, e)}
            >
              {flexRender(header.column.columnDef.header, header.getContext())}
              {sorted === false ? null : SORT_ARROWS[sorted]}
            </button>
            {id !== null && (
              <div
                className="tt-resize"
                data-testid="column-resize"
                data-column={id}
                aria-hidden="true"
                onPointerDown={(e) => startDrag(id, e)}
                onClick={(e) => e.stopPropagation()}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}
