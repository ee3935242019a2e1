import { packHeader } from '../core/format/packed-tensors';
import type { PackedHeader } from '../core/format/packed-tensors';
import type { CheckpointSummary } from './checkpoint-summary';

/**
 * `CheckpointSummary` as `openCheckpoint` sends it to the page: each header's tensors as columns
 * (`core/format/packed-tensors.ts`), so a million-tensor header costs the page milliseconds to
 * receive instead of a frozen tab; the page rebuilds the headers in slices between paints.
 */
export type PackedCheckpointSummary = Omit<CheckpointSummary, 'files'> & {
  readonly files: readonly (Omit<CheckpointSummary['files'][number], 'header'> & {
    readonly header: PackedHeader | null;
  })[];
};

export function packSummary(summary: CheckpointSummary): PackedCheckpointSummary {
  return {
    ...summary,
    files: summary.files.map((f) => ({
      ...f,
      header: f.header === null ? null : packHeader(f.header),
    })),
  };
}

/**
 * The buffers of `summary`'s packed columns, to transfer rather than copy: the page got a
 * million-tensor header's ~60 MB of columns in one message, a long task of copying on its side.
 */
export function packedBuffers(summary: PackedCheckpointSummary): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const f of summary.files) {
    if (f.header !== null) {
      const p = f.header.packed;
      for (const column of [
        p.nameEnds,
        p.dtypes,
        p.dimEnds,
        p.dims,
        p.offsets,
        p.nbytes,
        p.elements,
        f.header.byNameOrder,
      ]) {
        if (column.buffer instanceof ArrayBuffer) {
          buffers.add(column.buffer);
        }
      }
    }
  }
  return [...buffers];
}
