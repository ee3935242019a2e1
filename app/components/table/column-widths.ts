import type { ColumnId } from './tensor-sort';
import { COLUMN_IDS } from './tensor-sort';

/**
 * Column widths of the tensor table in px. The name column is flexible (it takes what is left,
 * at least its width here) until the user resizes it; the others are fixed and resizable.
 */
export type ColumnWidths = Readonly<Record<ColumnId, number>>;

export const DEFAULT_WIDTHS: ColumnWidths = {
  name: 256,
  file: 170,
  dtype: 105,
  shape: 126,
  size: 77,
  nan: 70,
  inf: 70,
  saturated: 91,
  zero: 84,
  min: 110,
  max: 110,
};

/** A column is never narrower than this (the header's sort arrow still fits). */
export const MIN_COLUMN_PX = 44;
/** Nor wider (a drag that runs away stays usable). */
export const MAX_COLUMN_PX = 1600;
/** Shift+Arrow on a header resizes its column by this much. */
export const KEYBOARD_RESIZE_PX = 16;

export function clampWidth(px: number): number {
  return Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)));
}

/** The CSS grid template of the rows: `minmax(<name>px, 1fr) 150px …`. */
export function gridTemplate(widths: ColumnWidths, nameResized: boolean): string {
  return COLUMN_IDS.map((id) =>
    id === 'name' && !nameResized ? `minmax(${widths.name}px, 1fr)` : `${widths[id]}px`,
  ).join(' ');
}

/** Total width of the columns (the row's min-width, so the table scrolls sideways when narrow). */
export function totalWidth(widths: ColumnWidths): number {
  return COLUMN_IDS.reduce((sum, id) => sum + widths[id], 0);
}
