/**
 * Cell size of a grid, chosen from its shape so that 100+ layers x 8 modules and 94 layers x 256
 * experts both fit a screen's width. Sizes are the `.hm-size-*` classes of heatmap.css.
 */
export type CellSize = 'l' | 'm' | 's' | 'xs';

/** Up to this many columns cells are wide enough for a readable rotated header each. */
const LARGE_MAX_COLUMNS = 16;
const MEDIUM_MAX_COLUMNS = 48;
const SMALL_MAX_COLUMNS = 128;

/** Column labels shown every N columns, so they do not overlap at that size. */
const COLUMN_LABEL_EVERY: Readonly<Record<CellSize, number>> = { l: 1, m: 1, s: 8, xs: 16 };
/** Row labels shown every N rows (xs rows are 8 px: a label every row would not be readable). */
const ROW_LABEL_EVERY: Readonly<Record<CellSize, number>> = { l: 1, m: 1, s: 1, xs: 4 };

export function pickCellSize(columns: number): CellSize {
  if (columns <= LARGE_MAX_COLUMNS) {
    return 'l';
  }
  if (columns <= MEDIUM_MAX_COLUMNS) {
    return 'm';
  }
  return columns <= SMALL_MAX_COLUMNS ? 's' : 'xs';
}

/** Whether the label of column (or row) `index` is drawn at this size. */
export function showsLabel(size: CellSize, axis: 'row' | 'column', index: number): boolean {
  const every = axis === 'row' ? ROW_LABEL_EVERY[size] : COLUMN_LABEL_EVERY[size];
  return index % every === 0;
}
