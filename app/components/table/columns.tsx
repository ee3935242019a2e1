import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { TensorRow } from '../../model/tensor-row';
import { visibleName } from '../../../core/report/display-name';
import { splitName } from './middle-name';
import { COLUMN_LABELS } from './column-labels';
import {
  formatBytes,
  formatCount,
  formatShape,
  formatValue,
  PENDING,
  shortFileName,
} from './format';
import type { ColumnId, StatColumnId } from './tensor-sort';
import { isColumnId, statValue } from './tensor-sort';

/** Columns whose non-zero counts are faults, shown in the `--bad` colour. */
const BAD_WHEN_POSITIVE: ReadonlySet<StatColumnId> = new Set(['nan', 'inf']);

function StatCell({ row, column }: { row: TensorRow; column: StatColumnId }): ReactNode {
  if (row.stats === null) {
    // Never blank or clean: a failed read is "not scanned", a missing shard's tensor "missing".
    if (row.failed === true || row.missing === true) {
      return <span className="tt-bad">{row.missing === true ? 'missing' : 'not scanned'}</span>;
    }
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

/** Copies a tensor's name (the real one, invisible characters included) to the clipboard. */
export function copyName(name: string): void {
  void navigator.clipboard?.writeText(name).catch(() => undefined);
}

/**
 * The name, cut in the middle when narrow (the layer and the suffix stay visible), invisible
 * characters shown as ⟨U+…⟩, and a copy button (not a Tab stop: the row copies on `c` too).
 */
function NameCell({ row }: { row: TensorRow }): ReactNode {
  const shown = visibleName(row.info.name);
  const parts = splitName(shown);
  return (
    <span className="tt-name" title={shown}>
      {parts.head !== '' && <span className="tt-name-head">{parts.head}</span>}
      {parts.layer !== '' && <span className="tt-name-layer">{parts.layer}</span>}
      {parts.middle !== '' && <span className="tt-name-middle">{parts.middle}</span>}
      <span className="tt-name-suffix">{parts.suffix}</span>
      <button
        type="button"
        className="tt-copy"
        tabIndex={-1}
        aria-label="Copy the tensor name"
        title="Copy the name (or press c on the row)"
        data-testid="copy-name"
        onClick={(e) => {
          e.stopPropagation();
          copyName(row.info.name);
        }}
      >
        ⧉
      </button>
    </span>
  );
}

/** How each column's cell shows a tensor: the table body renders rows with these directly. */
export const CELL_RENDERERS: Readonly<Record<ColumnId, (row: TensorRow) => ReactNode>> = {
  // Names are React text children: never interpreted as markup.
  name: (row) => <NameCell row={row} />,
  file: (row) => (
    <span className="tt-file" title={visibleName(row.fileName)}>
      {visibleName(shortFileName(row.fileName))}
    </span>
  ),
  // A missing shard's tensor has no known dtype (its info is a placeholder).
  dtype: (row) => (row.missing === true ? '—' : row.info.dtype),
  shape: (row) => formatShape(row.info.shape),
  size: (row) => formatBytes(row.info.nbytes),
  nan: (row) => <StatCell row={row} column="nan" />,
  inf: (row) => <StatCell row={row} column="inf" />,
  saturated: (row) => <StatCell row={row} column="saturated" />,
  zero: (row) => <StatCell row={row} column="zero" />,
  min: (row) => <StatCell row={row} column="min" />,
  max: (row) => <StatCell row={row} column="max" />,
};

function statColumn(id: StatColumnId): ColumnDef<TensorRow, unknown> {
  return {
    id,
    header: COLUMN_LABELS[id].header,
    accessorFn: (row) => statValue(row, id),
    sortDescFirst: true,
    cell: (ctx) => CELL_RENDERERS[id](ctx.row.original),
  };
}

/**
 * Every column sorts. The table sorts manually (`sortRows`, over all rows before the window is
 * cut), so these definitions only say which direction to sort first and how a cell renders; the
 * body renders rows itself, with CELL_RENDERERS in this order, so that a row that did not change
 * is not rendered again while scrolling.
 */
export const TENSOR_COLUMNS: ColumnDef<TensorRow, unknown>[] = [
  {
    id: 'name' satisfies ColumnId,
    header: COLUMN_LABELS.name.header,
    sortDescFirst: false,
    accessorFn: (row) => row.info.name,
    cell: (ctx) => CELL_RENDERERS.name(ctx.row.original),
  },
  {
    id: 'file' satisfies ColumnId,
    header: COLUMN_LABELS.file.header,
    sortDescFirst: false,
    accessorFn: (row) => row.fileName,
    cell: (ctx) => CELL_RENDERERS.file(ctx.row.original),
  },
  {
    id: 'dtype' satisfies ColumnId,
    header: COLUMN_LABELS.dtype.header,
    sortDescFirst: false,
    accessorFn: (row) => row.info.dtype,
    cell: (ctx) => CELL_RENDERERS.dtype(ctx.row.original),
  },
  {
    id: 'shape' satisfies ColumnId,
    header: COLUMN_LABELS.shape.header,
    accessorFn: (row) => row.info.elements,
    sortDescFirst: true,
    cell: (ctx) => CELL_RENDERERS.shape(ctx.row.original),
  },
  {
    id: 'size' satisfies ColumnId,
    header: COLUMN_LABELS.size.header,
    accessorFn: (row) => row.info.nbytes,
    sortDescFirst: true,
    cell: (ctx) => CELL_RENDERERS.size(ctx.row.original),
  },
  statColumn('nan'),
  statColumn('inf'),
  statColumn('saturated'),
  statColumn('zero'),
  statColumn('min'),
  statColumn('max'),
];

/** The body's column order: that of TENSOR_COLUMNS. */
export const BODY_COLUMNS: readonly ColumnId[] = TENSOR_COLUMNS.flatMap((c) =>
  c.id !== undefined && isColumnId(c.id) ? [c.id] : [],
);
