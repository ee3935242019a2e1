/**
 * Where a flat element index sits, as every view prints it (CLI text, Markdown export, the page's
 * positions list): a 1-D tensor (or a scalar) has no rows, so its positions are plain indices; any
 * other tensor is viewed as [product of leading dims, last dim] and its positions are (row, col).
 */
export type TensorPosition =
  | { readonly kind: 'index'; readonly index: number }
  | {
      readonly kind: 'row-col';
      readonly index: number;
      readonly row: number;
      readonly col: number;
    };

/** Whether positions in a tensor of this shape are printed as plain indices (1-D and scalars). */
export function isFlatShape(shape: readonly number[]): boolean {
  return shape.length <= 1;
}

/** The position of flat index `index` in a tensor of `shape`. */
export function tensorPosition(shape: readonly number[], index: number): TensorPosition {
  const cols = shape[shape.length - 1] ?? 1;
  if (isFlatShape(shape)) {
    return { kind: 'index', index };
  }
  // A zero-size last dim holds no element: such a tensor has no positions, (0, 0) is a safe label.
  return cols <= 0
    ? { kind: 'row-col', index, row: 0, col: 0 }
    : { kind: 'row-col', index, row: Math.floor(index / cols), col: index % cols };
}

/** What a list of positions in a tensor of `shape` is headed by: `index` or `(row, col)`. */
export function positionUnit(shape: readonly number[]): 'index' | '(row, col)' {
  return isFlatShape(shape) ? 'index' : '(row, col)';
}

/** One position as text: `5` for a 1-D tensor, `(1, 2)` otherwise. */
export function formatPosition(p: TensorPosition): string {
  switch (p.kind) {
    case 'index':
      return String(p.index);
    case 'row-col':
      return `(${p.row}, ${p.col})`;
  }
}
