import type { TensorInfo } from '../format/tensor-info';

/**
 * Tensors at most this large are read together with their contiguous neighbours: a MoE layer of
 * 100,000 experts holds 400,000 scale and weight tensors of a few bytes, and one read each (a
 * thread-pool round trip in Node, an IPC hop in the browser) was most of its scan.
 */
export const SMALL_TENSOR_BYTES = 64 * 1024;
/** The largest read that gathers small tensors (one reused read buffer holds it). */
export const MAX_GROUP_BYTES = 1024 * 1024;

/**
 * One read of the file: `length` bytes at `offset`. It holds tensors [first, end) of the list:
 * several whole small tensors back to back, or one chunk of one large tensor (end = first + 1).
 */
export interface ReadGroup {
  readonly offset: number;
  readonly length: number;
  /** The first tensor it holds, named in read errors. */
  readonly tensor: string;
  readonly first: number;
  readonly end: number;
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
 * Every read of a scan of `tensors`, in order. A large tensor is read chunk by chunk (one read
 * each); consecutive small tensors that lie back to back in the file share one read of at most
 * MAX_GROUP_BYTES. Zero-byte tensors are in no read.
 */
export function* readGroups(
  tensors: readonly TensorInfo[],
  chunkBytes: readonly number[],
): Generator<ReadGroup> {
  for (let index = 0; index < tensors.length;) {
    const first = tensors[index];
    if (!isSmall(first, chunkBytes[index])) {
      for (let done = 0; done < first.nbytes; done += chunkBytes[index]) {
        const length = Math.min(chunkBytes[index], first.nbytes - done);
        yield {
          offset: first.offset + done,
          length,
          tensor: first.name,
          first: index,
          end: index + 1,
        };
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
    yield { offset: first.offset, length, tensor: first.name, first: index, end };
    index = end;
  }
}

/**
 * The part of tensor `t` that `group` holds: `done` bytes of the tensor precede it, and it starts
 * `at` bytes into the group. A small tensor lies whole in its group (done 0, length its nbytes).
 */
export function chunkOf(
  group: ReadGroup,
  t: TensorInfo,
): { readonly done: number; readonly length: number; readonly at: number } {
  const start = Math.max(group.offset, t.offset);
  const stop = Math.min(group.offset + group.length, t.offset + t.nbytes);
  return { done: start - t.offset, length: stop - start, at: start - group.offset };
}

/**
 * Every chunk of a scan of `tensors`, in order: each tensor's part of each read of `readGroups`
 * (a small tensor is one chunk anyway, so what the kernels see does not depend on the grouping).
 */
export function* chunkReads(
  tensors: readonly TensorInfo[],
  chunkBytes: readonly number[],
): Generator<ChunkRead> {
  for (const group of readGroups(tensors, chunkBytes)) {
    for (let index = group.first; index < group.end; index++) {
      yield { index, group, ...chunkOf(group, tensors[index]) };
    }
  }
}

/** The largest single read `readGroups` can issue for these tensors. */
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
