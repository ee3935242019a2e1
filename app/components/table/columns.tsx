import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { COLUMN_LABELS } from './column-labels';
import { formatBytes, formatCount, formatShape, formatValue, PENDING } from './format';
import type { ColumnId, StatColumnId } from './tensor-sort';
import { statValue } from './tensor-sort';

/** Columns whose non-zero counts are faults, shown in the `--bad` colour. */
const BAD_WHEN_POSITIVE: ReadonlySet<StatColumnId> = new Set(['nan', 'inf']);

function StatCell({ row, column }: { row: TensorRow; column: StatColumnId }): ReactNode {
  if (row.stats === null) {
    return <span className="tt-pending">{PENDING}</span>;
  }
  const value = statValue(row, column);
  if (column === 'min' || column === 'max') {
    return formatValue(value ?? null);
  }
  const count = value ?? 0;
  const bad = count > 0 && BAD_WHEN_POSITIVE.has(column);
  return <span className={bad ? 'tt-bad' : undefined}>{formatCount(count)}</span>;
}

function statColumn(id: StatColumnId): ColumnDef<TensorRow, unknown> {
  return {
    id,
    header: COLUMN_LABELS[id].header,
    accessorFn: (row) => statValue(row, id),
    sortDescFirst: true,
    cell: (ctx) => <StatCell row={ctx.row.original} column={id} />,
  };
}

/**
 * Every column sorts. The table sorts manually (`sortRows`, over all rows before the window is
 * cut), so these definitions only say how to render a cell and which direction to sort first.
 */
export const TENSOR_COLUMNS: ColumnDef<TensorRow, unknown>[] = [
  {
    id: 'name' satisfies ColumnId,
    header: COLUMN_LABELS.name.header,
    sortDescFirst: false,
    accessorFn: (row) => row.info.name,
    // Names are React text children: never interpreted as markup.
    cell: (ctx) => (
      <span className="tt-name" title={ctx.row.original.info.name}>
        {ctx.row.original.info.name}
      </span>
    ),
  },
  {
    id: 'dtype' satisfies ColumnId,
    header: COLUMN_LABELS.dtype.header,
    sortDescFirst: false,
    accessorFn: (row) => row.info.dtype,
    cell: (ctx) => ctx.row.original.info.dtype,
  },
  {
    id: 'shape' satisfies ColumnId,
    header: COLUMN_LABELS.shape.header,
    accessorFn: (row) => row.info.elements,
    sortDescFirst: true,
    cell: (ctx) => formatShape(ctx.row.original.info.shape),
  },
  {
    id: 'size' satisfies ColumnId,
    header: COLUMN_LABELS.size.header,
    accessorFn: (row) => row.info.nbytes,
    sortDescFirst: true,
    cell: (ctx) => formatBytes(ctx.row.original.info.nbytes),
  },
  statColumn('nan'),
  statColumn('inf'),
  statColumn('saturated'),
  statColumn('zero'),
  statColumn('min'),
  statColumn('max'),
];
