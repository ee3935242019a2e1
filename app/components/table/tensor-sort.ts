import type { Dtype } from '../../../core/dtype/dtype';
import { DTYPES } from '../../../core/dtype/dtype';
import type { TensorInfo } from '../../../core/format/tensor-info';
import type { TensorRow } from '../../model/tensor-row';

/** The table's columns, in display order. */
export const COLUMN_IDS = [
  'name',
  'file',
  'dtype',
  'shape',
  'size',
  'nan',
  'inf',
  'saturated',
  'zero',
  'min',
  'max',
] as const;

export type ColumnId = (typeof COLUMN_IDS)[number];

const COLUMN_ID_SET: ReadonlySet<string> = new Set(COLUMN_IDS);

export function isColumnId(id: string): id is ColumnId {
  return COLUMN_ID_SET.has(id);
}

/** Columns whose value comes from the scan: undefined until the tensor is scanned. */
export type StatColumnId = Exclude<ColumnId, 'name' | 'file' | 'dtype' | 'shape' | 'size'>;

/**
 * The sortable value of a scan column; undefined when unknown (not scanned, or min/max of a
 * tensor without finite values), which the table sorts last in either direction.
 */
export function statValue(row: TensorRow, column: StatColumnId): number | undefined {
  const stats = row.stats;
  if (stats === null) {
    return undefined;
  }
  switch (column) {
    case 'nan':
      return stats.nan;
    case 'inf':
      return stats.posInf + stats.negInf;
    case 'saturated':
      return stats.saturated;
    case 'zero':
      return stats.zero;
    case 'min':
      return stats.min ?? undefined;
    case 'max':
      return stats.max ?? undefined;
  }
}

/** Digit runs are zero-padded to this width so `layers.2` sorts before `layers.10`. */
const NATURAL_DIGITS = 16;
const naturalKeys = new WeakMap<TensorInfo, string>();

/** The name with every digit run left-padded, so plain string order is natural order. */
export function naturalKey(name: string): string {
  return name.replace(/\d+/g, (digits) => digits.padStart(NATURAL_DIGITS, '0'));
}

function cachedNaturalKey(info: TensorInfo): string {
  let key = naturalKeys.get(info);
  if (key === undefined) {
    key = naturalKey(info.name);
    naturalKeys.set(info, key);
  }
  return key;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Natural order of tensor names (`layers.2` < `layers.10`). Keys are cached per TensorInfo:
 * a plain compare of cached keys sorts 100k names far faster than Intl.Collator.
 */
export function compareNames(a: TensorInfo, b: TensorInfo): number {
  return compareStrings(cachedNaturalKey(a), cachedNaturalKey(b)) || compareStrings(a.name, b.name);
}

const DTYPE_ORDER: ReadonlyMap<Dtype, number> = new Map(DTYPES.map((dtype, i) => [dtype, i]));

/** Dtypes in the canonical DTYPES order (by width, then kind), not alphabetically. */
export function compareDtypes(a: Dtype, b: Dtype): number {
  return (DTYPE_ORDER.get(a) ?? 0) - (DTYPE_ORDER.get(b) ?? 0);
}

/** Shapes by element count, then rank, then dimension by dimension. */
export function compareShapes(a: TensorInfo, b: TensorInfo): number {
  if (a.elements !== b.elements) {
    return a.elements - b.elements;
  }
  if (a.shape.length !== b.shape.length) {
    return a.shape.length - b.shape.length;
  }
  for (let i = 0; i < a.shape.length; i++) {
    if (a.shape[i] !== b.shape[i]) {
      return a.shape[i] - b.shape[i];
    }
  }
  return 0;
}

/** One sort key, as TanStack Table's SortingState holds it. */
export interface SortKey {
  readonly id: string;
  readonly desc: boolean;
}

/** Row comparators for the columns that sort on more than a number. */
const ROW_COMPARATORS: Partial<Record<ColumnId, (a: TensorRow, b: TensorRow) => number>> = {
  name: (a, b) => compareNames(a.info, b.info),
  file: (a, b) =>
    compareStrings(naturalKey(a.fileName), naturalKey(b.fileName)) || compareNames(a.info, b.info),
  dtype: (a, b) => compareDtypes(a.info.dtype, b.info.dtype),
  shape: (a, b) => compareShapes(a.info, b.info),
};

function numericValue(row: TensorRow, column: ColumnId): number | undefined {
  switch (column) {
    case 'size':
      return row.info.nbytes;
    case 'name':
    case 'file':
    case 'dtype':
    case 'shape':
      return undefined;
    default:
      return statValue(row, column);
  }
}

/**
 * The rows sorted by the first sort key (the table sorts on one column at a time); the input
 * array itself when there is none. Stable: ties keep file order. Numeric columns are read once
 * per row and undefined values (not scanned yet) go last in both directions.
 */
export function sortRows(
  rows: readonly TensorRow[],
  sorting: readonly SortKey[],
): readonly TensorRow[] {
  const key = sorting[0];
  if (key === undefined || !isColumnId(key.id)) {
    return rows;
  }
  const column = key.id;
  const sign = key.desc ? -1 : 1;
  const compare = ROW_COMPARATORS[column];
  if (compare !== undefined) {
    return rows.slice().sort((a, b) => sign * compare(a, b));
  }
  const decorated = rows.map((row) => ({ row, value: numericValue(row, column) }));
  decorated.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      return (a.value === undefined ? 1 : 0) - (b.value === undefined ? 1 : 0);
    }
    return sign * (a.value - b.value);
  });
  return decorated.map((d) => d.row);
}
