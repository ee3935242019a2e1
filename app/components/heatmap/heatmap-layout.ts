import { expertCellKey } from '../../../core/layout/group-experts';
import type { ExpertGrid } from '../../../core/layout/group-experts';
import type { GridCell, LayerGrid } from '../../../core/layout/layer-grid';
import { cellKey, layerLabel } from '../../../core/layout/layer-grid';

/**
 * One drawn cell, independent of scan progress: it names its tensors by index into the rows the
 * grid was built from, so stats updates re-summarize cells without re-grouping names.
 */
export interface HeatCell {
  /** `data-layer`: the layer index, or `outside`. */
  readonly layer: string;
  /** `data-module`. */
  readonly module: string;
  /** `data-expert` in the drill-down, else null. */
  readonly expert: number | null;
  /** Indices into the rows array of the tensors of this cell. */
  readonly rowIndices: readonly number[];
  /** Distinct experts behind the cell: > 0 means a click opens the drill-down. */
  readonly drillExperts: number;
  /** Position in the grid body, or null for the outside-layers strip. */
  readonly row: number | null;
  readonly col: number | null;
}

/** A grid (rows x columns, sparse) plus the outside-layers strip, all cells in one array. */
export interface HeatmapLayout {
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  /** Grid cells in row-major order, then the outside cells. */
  readonly cells: readonly HeatCell[];
  /** Index into `cells` for each rows x columns position, -1 where no tensor lives. */
  readonly gridIndex: Int32Array;
  /** Indices into `cells` of the outside strip, in order. */
  readonly outsideIndices: readonly number[];
  /** Named runs of columns (the projections of a multi-projection drill-down); absent otherwise. */
  readonly columnGroups?: readonly ColumnGroup[];
}

/** `count` columns from `start` that belong together under one header (e.g. `gate_proj`). */
export interface ColumnGroup {
  readonly label: string;
  readonly start: number;
  readonly count: number;
}

/** The hover text's name for a row. */
export function rowTitle(layer: string): string {
  return /^\d+$/.test(layer) ? `layer ${layer}` : 'outside layers';
}

/**
 * Expert indices below this are counted with a stamp per index instead of a Set per cell: a
 * million expert tensors made the Sets ~40 ms of the layout, on the main thread.
 */
const STAMPED_EXPERTS = 1 << 16;
const expertStamps = new Uint32Array(STAMPED_EXPERTS);
let stamp = 0;

function countExperts(cell: GridCell<number>): number {
  stamp = stamp === 0xffffffff ? 1 : stamp + 1;
  if (stamp === 1) {
    expertStamps.fill(0);
  }
  let count = 0;
  let others: Set<number> | null = null;
  for (const entry of cell.entries) {
    const expert = entry.key.expert;
    if (expert === null) {
      continue;
    }
    if (Number.isInteger(expert) && expert >= 0 && expert < STAMPED_EXPERTS) {
      if (expertStamps[expert] !== stamp) {
        expertStamps[expert] = stamp;
        count += 1;
      }
    } else {
      others ??= new Set();
      others.add(expert);
    }
  }
  return count + (others?.size ?? 0);
}

function indicesOf(cell: GridCell<number>): number[] {
  return cell.entries.map((e) => e.item);
}

export function makeGridIndex(
  rowCount: number,
  columnCount: number,
  cells: readonly HeatCell[],
): Int32Array {
  const gridIndex = new Int32Array(rowCount * columnCount).fill(-1);
  cells.forEach((cell, index) => {
    if (cell.row !== null && cell.col !== null) {
      gridIndex[cell.row * columnCount + cell.col] = index;
    }
  });
  return gridIndex;
}

/** The main heatmap: layers x modules, plus the outside-layers strip. Items are row indices. */
export function layoutLayerGrid(grid: LayerGrid<number>): HeatmapLayout {
  const cells: HeatCell[] = [];
  grid.layers.forEach((layer, row) => {
    grid.modules.forEach((module, col) => {
      const cell = grid.cells.get(cellKey(layer, module));
      if (cell !== undefined) {
        const drillExperts = countExperts(cell);
        const rowIndices = indicesOf(cell);
        cells.push({
          layer: String(layer),
          module,
          expert: null,
          rowIndices,
          drillExperts,
          row,
          col,
        });
      }
    });
  });
  const outsideIndices: number[] = [];
  for (const cell of grid.outside) {
    outsideIndices.push(cells.length);
    cells.push({
      layer: layerLabel(null),
      module: cell.module,
      expert: null,
      rowIndices: indicesOf(cell),
      drillExperts: countExperts(cell),
      row: null,
      col: null,
    });
  }
  return {
    rowLabels: grid.layers.map(String),
    columnLabels: grid.modules,
    cells,
    gridIndex: makeGridIndex(grid.layers.length, grid.modules.length, cells),
    outsideIndices,
  };
}

/** The drill-down of one expert projection: layers x experts. */
export function layoutExpertGrid(grid: ExpertGrid<number>): HeatmapLayout {
  const cells: HeatCell[] = [];
  grid.layers.forEach((layer, row) => {
    grid.experts.forEach((expert, col) => {
      const cell = grid.cells.get(expertCellKey(layer, expert));
      if (cell !== undefined) {
        const rowIndices = cell.entries.map((e) => e.item);
        const label = layerLabel(layer);
        cells.push({
          layer: label,
          module: grid.module,
          expert,
          rowIndices,
          drillExperts: 0,
          row,
          col,
        });
      }
    });
  });
  return {
    rowLabels: grid.layers.map(layerLabel),
    columnLabels: grid.experts.map(String),
    cells,
    gridIndex: makeGridIndex(grid.layers.length, grid.experts.length, cells),
    outsideIndices: [],
  };
}

/** The cell holding the row at `rowIndex`, or null. */
export function findCellOfRow(layout: HeatmapLayout, rowIndex: number): number | null {
  const index = layout.cells.findIndex((cell) => cell.rowIndices.includes(rowIndex));
  return index < 0 ? null : index;
}
