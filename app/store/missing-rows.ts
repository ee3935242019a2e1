import type { MissingShard } from '../../workers/missing-tensors';
import type { TensorRow } from '../model/tensor-row';
import { tensorKey } from '../model/tensor-row';

/** Only the name of a missing tensor is known: no dtype (this placeholder is never shown as one), no bytes. */
const MISSING_DTYPE = 'U8';

/**
 * Rows for the tensors of shards the index names but that were not given (or are invalid), so the
 * heatmap shows their layers as missing instead of leaving them out. `firstFileId` is the first id
 * after the opened files' (missing shards have no file state of their own).
 */
export function missingRows(shards: readonly MissingShard[], firstFileId: number): TensorRow[] {
  const rows: TensorRow[] = [];
  shards.forEach((shard, k) => {
    const fileId = firstFileId + k;
    for (const name of shard.tensors) {
      rows.push({
        key: tensorKey(fileId, name),
        fileId,
        fileName: shard.file,
        info: { name, dtype: MISSING_DTYPE, shape: [], offset: 0, nbytes: 0, elements: 0 },
        stats: null,
        missing: true,
      });
    }
  });
  return rows;
}
