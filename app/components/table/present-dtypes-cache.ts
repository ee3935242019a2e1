import type { Dtype } from '../../../core/dtype/dtype';
import type { TensorRow } from '../../model/tensor-row';
import { presentDtypes } from './tensor-filter';
import { sameRowTensors } from '../../model/row-tensors';

/**
 * presentDtypes, recomputed only when the tensors change: during a scan every update replaces
 * the rows array with new stats but the same header entries (whose dtype is all this reads), and
 * a Set insertion per row of a million rows on every update was a visible part of each render.
 */
export interface DtypesCache {
  dtypesOf(rows: readonly TensorRow[]): readonly Dtype[];
}

function sameHeaderEntries(a: readonly TensorRow[], b: readonly TensorRow[]): boolean {
  return sameRowTensors(a, b, (x, y) => x.info === y.info);
}

export function createDtypesCache(): DtypesCache {
  let lastRows: readonly TensorRow[] | null = null;
  let lastDtypes: readonly Dtype[] = [];
  return {
    dtypesOf(rows) {
      if (lastRows === null || !sameHeaderEntries(lastRows, rows)) {
        lastDtypes = presentDtypes(rows);
      }
      lastRows = rows;
      return lastDtypes;
    },
  };
}
