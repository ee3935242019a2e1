import { formatPosition, positionUnit, tensorPosition } from '../../../core/report/tensor-position';

/** A flat element index located in the tensor viewed as a matrix. */
export interface RowCol {
  readonly index: number;
  readonly row: number;
  readonly col: number;
}

/** Columns of the matrix view: the last dimension; a scalar is [1, 1]. */
export function matrixCols(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1];
}

/**
 * Where flat index `index` sits in the tensor viewed as [product of leading dims, last dim]
 * (the view the density map uses): row = floor(index / lastDim), col = index % lastDim.
 * A 1-D tensor is one row; a scalar is (0, 0).
 */
export function flatToRowCol(index: number, shape: readonly number[]): RowCol {
  const cols = matrixCols(shape);
  if (shape.length <= 1 || cols <= 0) {
    return { index, row: 0, col: index };
  }
  return { index, row: Math.floor(index / cols), col: index % cols };
}

/** The first positions to list and how many more the tensor holds. */
export interface PositionList {
  readonly shown: readonly RowCol[];
  readonly more: number;
}

/** Positions listed in the detail view before "and N more". */
export const MAX_LISTED_POSITIONS = 100;

/**
 * The first `limit` of the recorded indices as (row, col). `total` is the tensor's full count,
 * which may exceed the indices the scan kept, so "more" counts every element not listed.
 */
export function listPositions(
  indices: readonly number[],
  total: number,
  shape: readonly number[],
  limit = MAX_LISTED_POSITIONS,
): PositionList {
  const shown = indices.slice(0, limit).map((i) => flatToRowCol(i, shape));
  return { shown, more: Math.max(0, Math.max(total, indices.length) - shown.length) };
}

/**
 * A listed position as every view prints it (`core/report/tensor-position.ts`, as the CLI text and
 * the Markdown export): `5` in a 1-D tensor, `(1, 2)` otherwise.
 */
export function positionText(p: RowCol, shape: readonly number[]): string {
  return formatPosition(tensorPosition(shape, p.index));
}

/** The heading of a tensor's position list: `index` for a 1-D tensor, `(row, col)` otherwise. */
export function positionsUnit(shape: readonly number[]): string {
  return positionUnit(shape);
}
