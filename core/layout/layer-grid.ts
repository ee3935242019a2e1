import type { LayerKey } from './layer-key';

/** One item placed in the grid together with its parsed name. */
export interface GridEntry<T> {
  readonly item: T;
  readonly key: LayerKey;
}

/** All items of one layer x module: every parameter and every expert. */
export interface GridCell<T> {
  /** Null for the row of tensors outside the repeated blocks. */
  readonly layer: number | null;
  readonly module: string;
  readonly entries: readonly GridEntry<T>[];
}

export interface LayerGrid<T> {
  /** Block indices present, ascending. */
  readonly layers: readonly number[];
  /** Columns of the block rows, in canonical order (see orderModules). */
  readonly modules: readonly string[];
  /** The "outside layers" row (embeddings, head, final norm), in first-seen order; often sparse, so kept apart. */
  readonly outside: readonly GridCell<T>[];
  /** Every cell, outside ones included, by cellKey(layer, module). Absent = no tensor there. */
  readonly cells: ReadonlyMap<string, GridCell<T>>;
}

/** The row label of the outside-layers row, also its `data-layer` value in the heatmap. */
export const OUTSIDE_LAYER = 'outside';

/** A layer as a string: its decimal index, or OUTSIDE_LAYER. */
export function layerLabel(layer: number | null): string {
  return layer === null ? OUTSIDE_LAYER : String(layer);
}

/** Unique per cell: the layer label holds no `|`, so the first `|` separates it from the module. */
export function cellKey(layer: number | null, module: string): string {
  return `${layerLabel(layer)}|${module}`;
}

/** Ascending numeric order with null last. */
export function compareLayers(a: number | null, b: number | null): number {
  if (a === null || b === null) {
    return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  }
  return a - b;
}
