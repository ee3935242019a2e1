import type { Dtype } from '../../../core/dtype/dtype';
import type { TensorRow } from '../../model/tensor-row';
import { presentDtypes } from './tensor-filter';
import { knownSameTensors } from '../../model/row-tensors';

/**
 * presentDtypes, recomputed only when the tensors change: during a scan every update replaces
 * the rows array with new stats but the same header entries (whose dtype is all this reads), and
 * a Set insertion per row of a million rows on every update was a visible part of each render.
 */
export interface DtypesCache {
  dtypesOf(rows: readonly TensorRow[]): readonly Dtype[];
}

function sameHeaderEntries(a: readonly TensorRow[], b: readonly TensorRow[]): boolean {
  if (a === b) {
    return true;
  }
  if (a.length !== b.length) {
    return false;
  }
  // Arrays the store published for the same load: known without reading every row.
  const known = knownSameTensors(a, b);
  if (known !== null) {
    return known;
  }
  for (let i = 0; i < a.length; i += 1) {
    if (a[i].info !== b[i].info) {
      return false;
    }
  }
  return true;
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
