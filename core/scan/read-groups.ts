import type { TensorInfo } from '../format/tensor-info';

/**
 * Tensors at most this large are read together with their contiguous neighbours: a MoE layer of
 * 100,000 experts holds 400,000 scale and weight tensors of a few bytes, and one read each (a
 * thread-pool round trip in Node, an IPC hop in the browser) was most of its scan.
 */
export const SMALL_TENSOR_BYTES = 64 * 1024;
/** The largest read that gathers small tensors (one reused read buffer holds it). */
export const MAX_GROUP_BYTES = 1024 * 1024;

/** One read of the file: `length` bytes at `offset`, started when its first part is wanted. */
export interface ReadGroup {
  readonly offset: number;
  readonly length: number;
  /** The first tensor it holds, named in read errors. */
  readonly tensor: string;
  bytes: Promise<Uint8Array> | null;
}

/** One chunk of the scan: `length` bytes of tensor `index` from byte `done` of it, at `at` of its group. */
export interface ChunkRead {
  readonly index: number;
  readonly done: number;
  readonly length: number;
  readonly group: ReadGroup;
  readonly at: number;
}

function isSmall(t: TensorInfo, chunkBytes: number): boolean {
  return t.nbytes > 0 && t.nbytes <= SMALL_TENSOR_BYTES && t.nbytes <= chunkBytes;
}

/**
 * Every chunk of a scan of `tensors`, in order. A large tensor is read chunk by chunk (one read
 * each); consecutive small tensors that lie back to back in the file share one read of at most
 * MAX_GROUP_BYTES, each still delivered as its own chunk (a small tensor is one chunk anyway, so
 * what the kernels see does not change).
 */
export function* chunkReads(
  tensors: readonly TensorInfo[],
  chunkBytes: readonly number[],
): Generator<ChunkRead> {
  for (let index = 0; index < tensors.length;) {
    const first = tensors[index];
    if (!isSmall(first, chunkBytes[index])) {
      for (let done = 0; done < first.nbytes; done += chunkBytes[index]) {
        const length = Math.min(chunkBytes[index], first.nbytes - done);
        const group = { offset: first.offset + done, length, tensor: first.name, bytes: null };
        yield { index, done, length, group, at: 0 };
      }
      index++;
      continue;
    }
    let end = index + 1;
    let length = first.nbytes;
    while (end < tensors.length) {
      const t = tensors[end];
      if (
        !isSmall(t, chunkBytes[end]) ||
        t.offset !== first.offset + length ||
        length + t.nbytes > MAX_GROUP_BYTES
      ) {
        break;
      }
      length += t.nbytes;
      end++;
    }
    const group: ReadGroup = { offset: first.offset, length, tensor: first.name, bytes: null };
    for (let k = index; k < end; k++) {
      const t = tensors[k];
      yield { index: k, done: 0, length: t.nbytes, group, at: t.offset - first.offset };
    }
    index = end;
  }
}

/** The largest single read `chunkReads` can issue for these tensors. */
export function largestRead(tensors: readonly TensorInfo[], chunkBytes: readonly number[]): number {
  let largest = 0;
  let small = 0;
  tensors.forEach((t, i) => {
    if (isSmall(t, chunkBytes[i])) {
      small += t.nbytes;
    } else {
      largest = Math.max(largest, Math.min(chunkBytes[i], t.nbytes));
    }
  });
  return Math.max(largest, Math.min(small, MAX_GROUP_BYTES));
}
