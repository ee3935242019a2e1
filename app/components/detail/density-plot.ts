import type { DensityMap } from '../../../core/scan/tensor-stats';
import { cellRange } from './density-cells';
import type { DensityCell } from './density-cells';

/**
 * Geometry of the NaN/Inf map: a frame of fixed aspect whatever the tensor's shape (a [64, 8]
 * scale and a [512, 256] weight are both readable, neither a sliver), markers never smaller than
 * MIN_MARKER_PX (one NaN among 131,072 elements still shows), and axis ticks in element indices.
 */
export const PLOT_WIDTH_PX = 320;
export const PLOT_HEIGHT_PX = 200;
/** A marker is at least this big, centred on its cell, even when a cell is a fraction of a pixel. */
export const MIN_MARKER_PX = 4;
/** Ticks per axis at most (first and last index included). */
const MAX_TICKS = 5;

export interface MarkerRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where cell (i, j) is drawn: its share of the frame, grown around its centre to the minimum. */
export function markerRect(map: DensityMap, i: number, j: number): MarkerRect {
  const cellW = PLOT_WIDTH_PX / map.cellCols;
  const cellH = PLOT_HEIGHT_PX / map.cellRows;
  const width = Math.max(cellW, MIN_MARKER_PX);
  const height = Math.max(cellH, MIN_MARKER_PX);
  const cx = (j + 0.5) * cellW;
  const cy = (i + 0.5) * cellH;
  // Kept inside the frame (a marker in the last column does not spill out).
  return {
    x: Math.min(PLOT_WIDTH_PX - width, Math.max(0, cx - width / 2)),
    y: Math.min(PLOT_HEIGHT_PX - height, Math.max(0, cy - height / 2)),
    width,
    height,
  };
}

export interface Tick {
  /** Element index on the axis. */
  readonly index: number;
  /** Offset in px from the frame's start: the middle of the index's cell. */
  readonly at: number;
}

/** Evenly spread ticks over `count` elements drawn as `cells` cells over `px` pixels. */
export function axisTicks(count: number, cells: number, px: number): Tick[] {
  if (count <= 0) {
    return [];
  }
  const n = Math.min(MAX_TICKS, count);
  const ticks: Tick[] = [];
  for (let t = 0; t < n; t++) {
    const index = n === 1 ? 0 : Math.round((t * (count - 1)) / (n - 1));
    const cell = Math.min(cells - 1, Math.floor((index * cells) / count));
    ticks.push({ index, at: ((cell + 0.5) * px) / cells });
  }
  return ticks;
}

/** The cell under a point of the frame (px from its top-left), or null outside. */
export function cellAt(map: DensityMap, x: number, y: number): { i: number; j: number } | null {
  const j = Math.floor((x / PLOT_WIDTH_PX) * map.cellCols);
  const i = Math.floor((y / PLOT_HEIGHT_PX) * map.cellRows);
  return i >= 0 && i < map.cellRows && j >= 0 && j < map.cellCols ? { i, j } : null;
}

/**
 * The hover readout: `(12, 3) = NaN` for a cell that is one element, else the element ranges it
 * covers and its counts; `(12, 3): finite` for a single clean element.
 */
export function readout(
  map: DensityMap,
  i: number,
  j: number,
  nan: number,
  inf: number,
  /** A 1-D tensor (one row): positions are indices, as in every other view (tensor-position). */
  flat = false,
): string {
  const r = cellRange(map, i, j);
  const single = r.rowStart === r.rowEnd && r.colStart === r.colEnd;
  if (flat) {
    const where = single ? `index ${r.colStart}` : `indices ${r.colStart}–${r.colEnd}`;
    if (single) {
      return nan > 0 ? `${where} = NaN` : inf > 0 ? `${where} = ±Inf` : `${where}: finite`;
    }
    return `${where}: ${nan.toLocaleString('en-US')} NaN, ${inf.toLocaleString('en-US')} Inf`;
  }
  if (single) {
    const where = `(${r.rowStart}, ${r.colStart})`;
    return nan > 0 ? `${where} = NaN` : inf > 0 ? `${where} = ±Inf` : `${where}: finite`;
  }
  const rows = r.rowStart === r.rowEnd ? `row ${r.rowStart}` : `rows ${r.rowStart}–${r.rowEnd}`;
  const cols = r.colStart === r.colEnd ? `col ${r.colStart}` : `cols ${r.colStart}–${r.colEnd}`;
  return `${rows}, ${cols}: ${nan.toLocaleString('en-US')} NaN, ${inf.toLocaleString('en-US')} Inf`;
}

/** Markers in drawing order: Inf first, NaN on top (the headline fault stays visible). */
export function drawOrder(cells: readonly DensityCell[]): DensityCell[] {
  return cells.filter((c) => c.kind === 'inf').concat(cells.filter((c) => c.kind === 'nan'));
}

/**
 * The cell whose marker is under the point: markers are drawn bigger than their cells, so a lone
 * NaN in a [512, 256] tensor is found by pointing at its marker, not at a sub-pixel cell. The last
 * drawn marker wins (NaN over Inf); null when no marker is there.
 */
export function markerAt(
  map: DensityMap,
  drawn: readonly DensityCell[],
  x: number,
  y: number,
): { i: number; j: number } | null {
  for (let k = drawn.length - 1; k >= 0; k--) {
    const cell = drawn[k];
    const r = markerRect(map, cell.i, cell.j);
    if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) {
      return { i: cell.i, j: cell.j };
    }
  }
  return null;
}
