import { groupIntoGrid } from '../../../core/layout/group-grid';
import type { LayerGrid } from '../../../core/layout/layer-grid';
import { parseLayerKey } from '../../../core/layout/layer-key';
import type { LayerKey } from '../../../core/layout/layer-key';
import type { TensorInfo } from '../../../core/format/tensor-info';
import type { TensorRow } from '../../model/tensor-row';
import { sameRowTensors } from '../../model/row-tensors';

/** Parsed names by header entry; weak, so a closed file frees them. */
const keyCache = new WeakMap<TensorInfo, LayerKey>();

export function layerKeyOf(row: TensorRow): LayerKey {
  let key = keyCache.get(row.info);
  if (key === undefined) {
    key = parseLayerKey(row.info.name);
    keyCache.set(row.info, key);
  }
  return key;
}

/** The checkpoint's tensors on the layer x module grid; cells hold indices into `rows`. */
export function groupRows(rows: readonly TensorRow[]): LayerGrid<number> {
  return groupIntoGrid(
    rows.map((_, index) => index),
    (index) => layerKeyOf(rows[index]),
  );
}

/** Whether two row lists hold the same tensors in the same order (stats may differ). */
export function sameTensors(a: readonly TensorRow[], b: readonly TensorRow[]): boolean {
  return sameRowTensors(a, b, (x, y) => x.key === y.key);
}

/**
 * Keeps the grid while only stats change: during a scan every update replaces the rows array,
 * and re-grouping 100k names each time would stall the page. The grid depends on names only.
 */
export interface GridCache {
  gridFor(rows: readonly TensorRow[]): LayerGrid<number>;
}

export function createGridCache(): GridCache {
  let lastRows: readonly TensorRow[] | null = null;
  let lastGrid: LayerGrid<number> | null = null;
  return {
    gridFor(rows) {
      if (lastGrid === null || lastRows === null || !sameTensors(lastRows, rows)) {
        lastGrid = groupRows(rows);
      }
      lastRows = rows;
      return lastGrid;
    },
  };
}
