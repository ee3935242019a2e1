import type { CellSize } from './cell-size';

/**
 * Cell dimensions that make a whole grid fit the box it is drawn in: a 94-layer model shows every
 * layer without an inner scrollbar, a 3 × 256-expert drill-down every expert. Cells never grow past
 * the size class picked from the column count (`.hm-size-*`), and shrink down to a minimum.
 */
export interface FittedCells {
  readonly width: number;
  readonly height: number;
  /** Gap between cells; none once cells are too small to spare a pixel. */
  readonly gap: number;
  /** A row label every N rows, a column label every N columns (labels must not overlap). */
  readonly rowLabelEvery: number;
  readonly columnLabelEvery: number;
}

export interface FitBox {
  /** Width available for the cells (the row labels' column already taken off). */
  readonly width: number;
  /** Height available for the cells (the column labels already taken off). */
  readonly height: number;
}

/** Largest cell of each size class (the CSS defaults of `.hm-size-*` in heatmap.css). */
const BASE_PX: Readonly<Record<CellSize, { readonly width: number; readonly height: number }>> = {
  l: { width: 36, height: 16 },
  m: { width: 18, height: 14 },
  s: { width: 9, height: 10 },
  xs: { width: 5, height: 8 },
};

/**
 * A cell is never drawn smaller. One pixel wide still shows a NaN (small cells get a 2 px red
 * halo, heatmap.css), and lets 3 × 256 experts (DeepSeek-V3's gate, up and down) fit 900 px; rows
 * keep 2 px so the row labels and the keyboard cursor stay usable.
 */
const MIN_CELL_WIDTH_PX = 1;
const MIN_CELL_HEIGHT_PX = 2;
/** Cells at least this big keep a 1 px gap; smaller ones touch. */
const GAP_FROM_PX = 4;
/** Height of one line of row labels (0.75rem at the 14 px root, plus air). */
const ROW_LABEL_PX = 12;
/** Width one horizontal column label needs ("255" plus padding). */
const FLAT_COLUMN_LABEL_PX = 26;
/** Rotated column headers need a cell this wide; narrower cells get flat group labels. */
const ROTATED_LABEL_MIN_PX = 14;

function fitAxis(base: number, count: number, available: number, gap: number, min: number): number {
  if (count <= 0 || !Number.isFinite(available) || available <= 0) {
    return base;
  }
  const size = Math.floor(available / count) - gap;
  return Math.max(min, Math.min(base, size));
}

export function fitCells(
  size: CellSize,
  rows: number,
  columns: number,
  box: FitBox | null,
): FittedCells {
  const base = BASE_PX[size];
  const fit = (gap: number): { width: number; height: number } =>
    box === null
      ? base
      : {
          width: fitAxis(base.width, columns, box.width, gap, MIN_CELL_WIDTH_PX),
          height: fitAxis(base.height, rows, box.height, gap, MIN_CELL_HEIGHT_PX),
        };
  // One gap for both axes (a CSS grid gap): cells that would be too small with it touch instead.
  const spaced = fit(1);
  const gap = Math.min(spaced.width, spaced.height) >= GAP_FROM_PX ? 1 : 0;
  const { width, height } = gap === 1 ? spaced : fit(0);
  const columnLabelEvery =
    width >= ROTATED_LABEL_MIN_PX ? 1 : Math.ceil(FLAT_COLUMN_LABEL_PX / (width + gap));
  return {
    width,
    height,
    gap,
    rowLabelEvery: Math.max(1, Math.ceil(ROW_LABEL_PX / (height + gap))),
    columnLabelEvery,
  };
}
