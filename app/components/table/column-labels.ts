import type { ColumnId } from './tensor-sort';

export interface ColumnLabel {
  readonly header: string;
  /** Tooltip of the header. */
  readonly title: string;
  /** Numbers are right-aligned. */
  readonly numeric: boolean;
}

/** Header text, header tooltip, and whether the column holds numbers (right-aligned). */
export const COLUMN_LABELS: Readonly<Record<ColumnId, ColumnLabel>> = {
  name: { header: 'Name', title: 'Tensor name', numeric: false },
  file: { header: 'File', title: 'The file (shard) holding the tensor', numeric: false },
  dtype: { header: 'Dtype', title: 'Element type', numeric: false },
  shape: { header: 'Shape', title: 'Dimensions (sorts by element count)', numeric: false },
  size: { header: 'Size', title: 'Bytes on disk', numeric: true },
  nan: { header: 'NaN', title: 'NaN elements', numeric: true },
  inf: { header: 'Inf', title: '+Inf and -Inf elements', numeric: true },
  saturated: {
    header: 'Saturated',
    title: 'Finite elements at the dtype’s largest magnitude',
    numeric: true,
  },
  zero: { header: 'Zero', title: 'Elements equal to zero', numeric: true },
  min: { header: 'Min', title: 'Smallest finite value', numeric: true },
  max: { header: 'Max', title: 'Largest finite value', numeric: true },
};
