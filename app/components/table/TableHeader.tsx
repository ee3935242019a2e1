import type { Header } from '@tanstack/react-table';
import { flexRender } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { isColumnId } from './tensor-sort';

function ariaSort(header: Header<TensorRow, unknown>): 'ascending' | 'descending' | 'none' {
  const sorted = header.column.getIsSorted();
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

const SORT_ARROWS = { asc: ' ▲', desc: ' ▼' } as const;

/** The sticky header row; each header is a button that cycles its column's sort. */
export function TableHeader({ headers }: { headers: Header<TensorRow, unknown>[] }): ReactNode {
  return (
    <div className="tt-head tt-cols" role="row" aria-rowindex={1}>
      {headers.map((header) => {
        const id = header.column.id;
        const label = isColumnId(id) ? COLUMN_LABELS[id] : null;
        const sorted = header.column.getIsSorted();
        return (
          <div
            key={header.id}
            role="columnheader"
            aria-sort={ariaSort(header)}
            className={label?.numeric === true ? 'tt-cell tt-num' : 'tt-cell'}
          >
            <button
              type="button"
              className="tt-sort"
              title={label === null ? undefined : `${label.title}: click to sort`}
              onClick={header.column.getToggleSortingHandler()}
            >
              {flexRender(header.column.columnDef.header, header.getContext())}
              {sorted === false ? null : SORT_ARROWS[sorted]}
            </button>
          </div>
        );
      })}
    </div>
  );
}
