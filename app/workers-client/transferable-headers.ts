import type { PackedHeader } from '../../core/format/packed-tensors';
import type { SafetensorsHeader } from '../../core/format/tensor-info';

/**
 * `headers` for a message that moves their packed columns instead of copying them: copies of the
 * columns (a memcpy each, the page keeps its own) and the copies' buffers to transfer. Cloning a
 * million-tensor header's ~60 MB of columns on the page was most of a ~170 ms task.
 */
export function transferableHeaders(headers: readonly (SafetensorsHeader | PackedHeader)[]): {
  readonly headers: (SafetensorsHeader | PackedHeader)[];
  readonly buffers: ArrayBuffer[];
} {
  const buffers: ArrayBuffer[] = [];
  /** `copy` (a fresh copy of a column), its buffer listed for the transfer. */
  const own = <T extends { readonly buffer: ArrayBufferLike }>(copy: T): T => {
    if (copy.buffer instanceof ArrayBuffer) {
      buffers.push(copy.buffer);
    }
    return copy;
  };
  const out = headers.map((h) => {
    if (!('packed' in h)) {
      return h;
    }
    const p = h.packed;
    return {
      ...h,
      packed: {
        ...p,
        nameEnds: own(p.nameEnds.slice()),
        dtypes: own(p.dtypes.slice()),
        dimEnds: own(p.dimEnds.slice()),
        dims: own(p.dims.slice()),
        offsets: own(p.offsets.slice()),
        nbytes: own(p.nbytes.slice()),
        elements: own(p.elements.slice()),
      },
      byNameOrder: own(h.byNameOrder.slice()),
    };
  });
  return { headers: out, buffers };
}
