import type { LayerKey } from './layer-key';
import { cellKey } from './layer-grid';
import type { GridEntry, LayerGrid } from './layer-grid';
import { orderModules } from './module-order';

interface MutableCell<T> {
  readonly layer: number | null;
  readonly module: string;
  readonly entries: GridEntry<T>[];
}

/** Builds a layer x module grid one item at a time, so a caller can yield between slices. */
export interface GridBuilder<T> {
  add(item: T, key: LayerKey): void;
  /** The grid of every item added so far; O(distinct layers and modules). */
  finish(): LayerGrid<T>;
}

export function createGridBuilder<T>(): GridBuilder<T> {
  const cells = new Map<string, MutableCell<T>>();
  const layers = new Set<number>();
  const modules = new Set<string>();
  const outside: MutableCell<T>[] = [];
  return {
    add(item, key) {
      const id = cellKey(key.layer, key.module);
      let cell = cells.get(id);
      if (cell === undefined) {
        cell = { layer: key.layer, module: key.module, entries: [] };
        cells.set(id, cell);
        if (key.layer === null) {
          outside.push(cell);
        } else {
          layers.add(key.layer);
          modules.add(key.module);
        }
      }
      cell.entries.push({ item, key });
    },
    finish() {
      return {
        layers: [...layers].sort((a, b) => a - b),
        modules: orderModules([...modules]),
        outside,
        cells,
      };
    },
  };
}

/**
 * Places items on a layer x module grid. `keyOf` is usually `(row) => parseLayerKey(row.name)`,
 * possibly cached by the caller. O(n) plus sorting the distinct layers and modules.
 */
export function groupIntoGrid<T>(items: readonly T[], keyOf: (item: T) => LayerKey): LayerGrid<T> {
  const builder = createGridBuilder<T>();
  for (const item of items) {
    builder.add(item, keyOf(item));
  }
  return builder.finish();
}
