import type { GridCell, GridEntry, LayerGrid } from './layer-grid';
import { compareLayers, layerLabel } from './layer-grid';

/** All tensors of one expert of one projection in one layer (weight, scales, ...). */
export interface ExpertCell<T> {
  readonly layer: number | null;
  readonly expert: number;
  readonly entries: readonly GridEntry<T>[];
}

/** The drill-down of one expert projection: layers x experts. */
export interface ExpertGrid<T> {
  readonly module: string;
  /** Layers holding per-expert tensors of this module, ascending, null (outside layers) last. */
  readonly layers: readonly (number | null)[];
  /** Expert indices present in any layer, ascending. */
  readonly experts: readonly number[];
  /** By expertCellKey(layer, expert). Absent = no tensor there. */
  readonly cells: ReadonlyMap<string, ExpertCell<T>>;
}

export function expertCellKey(layer: number | null, expert: number): string {
  return `${layerLabel(layer)}|${expert}`;
}

/** Whether a cell holds per-expert tensors, i.e. has a drill-down. Fused expert tensors do not. */
export function hasExperts<T>(cell: GridCell<T>): boolean {
  return cell.entries.some((e) => e.key.expert !== null);
}

/** Builds the layer x expert drill-down of one module from the per-expert tensors of the grid. */
export function groupExperts<T>(grid: LayerGrid<T>, module: string): ExpertGrid<T> {
  const cells = new Map<
    string,
    { layer: number | null; expert: number; entries: GridEntry<T>[] }
  >();
  const layers = new Set<number | null>();
  const experts = new Set<number>();
  for (const cell of grid.cells.values()) {
    if (cell.module !== module) {
      continue;
    }
    for (const entry of cell.entries) {
      const expert = entry.key.expert;
      if (expert === null) {
        continue;
      }
      const id = expertCellKey(cell.layer, expert);
      let target = cells.get(id);
      if (target === undefined) {
        target = { layer: cell.layer, expert, entries: [] };
        cells.set(id, target);
        layers.add(cell.layer);
        experts.add(expert);
      }
      target.entries.push(entry);
    }
  }
  return {
    module,
    layers: [...layers].sort(compareLayers),
    experts: [...experts].sort((a, b) => a - b),
    cells,
  };
}
