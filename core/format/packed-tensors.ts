import { DTYPES } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';
import type { SafetensorsHeader, TensorInfo } from './tensor-info';

/**
 * A header's tensors as columns, for postMessage between the page and its workers. The structured
 * clone of a million `TensorInfo` objects took 11.6 s on the receiving main thread (one task, the
 * page frozen) and as long to send; a few typed arrays and one string of names clone in
 * milliseconds (a memcpy each), and the receiver rebuilds the objects itself, in slices it can
 * spread over several tasks (`unpackTensors`).
 */
export interface PackedTensors {
  readonly count: number;
  /** Every name, concatenated; `nameEnds[i]` is where name i ends (UTF-16 code units). */
  readonly names: string;
  readonly nameEnds: Uint32Array;
  /** Index into DTYPES. */
  readonly dtypes: Uint8Array;
  /** Tensor i's dimensions are `dims[dimEnds[i - 1] .. dimEnds[i]]` (from 0 for i = 0). */
  readonly dimEnds: Uint32Array;
  readonly dims: Float64Array;
  readonly offsets: Float64Array;
  readonly nbytes: Float64Array;
  readonly elements: Float64Array;
  /** `exactShape` of the few tensors that have one (a dimension past 2^53), by tensor index. */
  readonly exactShapes: readonly (readonly [number, readonly string[]])[];
}

/** A header with its tensors packed; `byName` becomes the tensor index of each entry in order. */
export type PackedHeader = Omit<SafetensorsHeader, 'tensors' | 'byName'> & {
  readonly packed: PackedTensors;
  readonly byNameOrder: Uint32Array;
};

const DTYPE_INDEX: ReadonlyMap<Dtype, number> = new Map(DTYPES.map((d, i) => [d, i]));

export function packTensors(tensors: readonly TensorInfo[]): PackedTensors {
  const count = tensors.length;
  const nameEnds = new Uint32Array(count);
  const dtypes = new Uint8Array(count);
  const dimEnds = new Uint32Array(count);
  const offsets = new Float64Array(count);
  const nbytes = new Float64Array(count);
  const elements = new Float64Array(count);
  const exactShapes: [number, readonly string[]][] = [];
  const nameParts: string[] = [];
  let nameEnd = 0;
  let dimCount = 0;
  for (let i = 0; i < count; i++) {
    dimCount += tensors[i].shape.length;
  }
  const dims = new Float64Array(dimCount);
  let dimEnd = 0;
  for (let i = 0; i < count; i++) {
    const t = tensors[i];
    nameParts.push(t.name);
    nameEnd += t.name.length;
    nameEnds[i] = nameEnd;
    dtypes[i] = DTYPE_INDEX.get(t.dtype) ?? 0;
    for (const d of t.shape) {
      dims[dimEnd++] = d;
    }
    dimEnds[i] = dimEnd;
    offsets[i] = t.offset;
    nbytes[i] = t.nbytes;
    elements[i] = t.elements;
    if (t.exactShape !== undefined) {
      exactShapes.push([i, t.exactShape]);
    }
  }
  return {
    count,
    names: nameParts.join(''),
    nameEnds,
    dtypes,
    dimEnds,
    dims,
    offsets,
    nbytes,
    elements,
    exactShapes,
  };
}

/**
 * Rebuilds tensors `start .. end` (clamped to the packed count) onto the end of `out`; called
 * slice by slice, it yields the same objects as one call over everything.
 */
export function unpackTensors(
  packed: PackedTensors,
  out: TensorInfo[],
  start = 0,
  end = packed.count,
): void {
  const exact = packed.exactShapes.length === 0 ? null : new Map(packed.exactShapes);
  const stop = Math.min(end, packed.count);
  for (let i = Math.max(0, start); i < stop; i++) {
    const nameStart = i === 0 ? 0 : packed.nameEnds[i - 1];
    const dimStart = i === 0 ? 0 : packed.dimEnds[i - 1];
    // Exactly sized (a pushed-to array reserves room for 17: 130 MB more at a million tensors).
    const shape = Array.from(packed.dims.subarray(dimStart, packed.dimEnds[i]));
    const exactShape = exact?.get(i);
    const base = {
      name: packed.names.slice(nameStart, packed.nameEnds[i]),
      dtype: DTYPES[packed.dtypes[i]],
      shape,
      offset: packed.offsets[i],
      nbytes: packed.nbytes[i],
      elements: packed.elements[i],
    };
    out.push(exactShape === undefined ? base : { ...base, exactShape });
  }
}

export function packHeader(header: SafetensorsHeader): PackedHeader {
  const { tensors, byName, ...rest } = header;
  const byNameOrder = new Uint32Array(byName.size);
  // Usually byName holds the tensors in their own order: then no map of a million entries (a
  // main-thread task of its own when the page sends headers to the quantization worker).
  let k = 0;
  let inOrder = byName.size === tensors.length;
  for (const t of byName.values()) {
    if (!inOrder || tensors[k] !== t) {
      inOrder = false;
      break;
    }
    byNameOrder[k] = k;
    k += 1;
  }
  if (!inOrder) {
    const indexOf = new Map<TensorInfo, number>();
    tensors.forEach((t, i) => indexOf.set(t, i));
    k = 0;
    for (const t of byName.values()) {
      byNameOrder[k++] = indexOf.get(t) ?? 0;
    }
  }
  return { ...rest, packed: packTensors(tensors), byNameOrder };
}

/**
 * Adds entries `start .. end` of the header's `byName` (in its order) to `byName`, from the
 * rebuilt `tensors`; called slice by slice like `unpackTensors`.
 */
export function fillByName(
  packed: PackedHeader,
  tensors: readonly TensorInfo[],
  byName: Map<string, TensorInfo>,
  start = 0,
  end = packed.byNameOrder.length,
): void {
  fillFrom(packed.byNameOrder, tensors, byName, start, end);
}

function fillFrom(
  order: Uint32Array,
  tensors: readonly TensorInfo[],
  byName: Map<string, TensorInfo>,
  start: number,
  end: number,
): void {
  const stop = Math.min(end, order.length);
  for (let k = Math.max(0, start); k < stop; k++) {
    const t = tensors[order[k]];
    byName.set(t.name, t);
  }
}

/**
 * The header back from its packed form, with `tensors` already rebuilt (by `unpackTensors`) and,
 * if given, `byName` already filled (by `fillByName`).
 */
export function headerWithTensors(
  packed: PackedHeader,
  tensors: readonly TensorInfo[],
  byName?: Map<string, TensorInfo>,
): SafetensorsHeader {
  const { packed: columns, byNameOrder, ...rest } = packed;
  if (columns.count !== tensors.length) {
    throw new RangeError(
      `${packed.fileName}: ${tensors.length} tensors given for a header of ${columns.count}`,
    );
  }
  let names = byName;
  if (names === undefined) {
    names = new Map<string, TensorInfo>();
    fillFrom(byNameOrder, tensors, names, 0, byNameOrder.length);
  }
  return { ...rest, tensors, byName: names };
}

export function unpackHeader(packed: PackedHeader): SafetensorsHeader {
  const tensors: TensorInfo[] = [];
  unpackTensors(packed.packed, tensors);
  return headerWithTensors(packed, tensors);
}

export function isPackedHeader(h: SafetensorsHeader | PackedHeader): h is PackedHeader {
  return 'packed' in h;
}

/** The tensors of a message that may carry them packed or as objects. */
export function tensorList(tensors: readonly TensorInfo[] | PackedTensors): readonly TensorInfo[] {
  if ('names' in tensors) {
    const out: TensorInfo[] = [];
    unpackTensors(tensors, out);
    return out;
  }
  return tensors;
}

/** The header of a message that may carry it packed or as objects. */
export function plainHeader(header: SafetensorsHeader | PackedHeader): SafetensorsHeader {
  return isPackedHeader(header) ? unpackHeader(header) : header;
}
