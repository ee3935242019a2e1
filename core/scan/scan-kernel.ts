import type { Dtype } from '../dtype/dtype';
import { dtypeGroup } from '../dtype/dtype';
import type { TensorStats } from './tensor-stats';

/**
 * One tensor's streaming scan. Feed it the tensor's bytes in order as chunks of whole element
 * groups (`dtypeGroup`), each with the flat index of its first element, then call `finish` once.
 * JS kernels live here; faster (WASM) kernels implement the same interface and must give
 * deep-equal results.
 */
export interface ScanKernel {
  update(chunk: Uint8Array, firstElement: number): void;
  finish(): TensorStats;
  /**
   * Frees what a kernel holds (a WASM kernel's instance) when it will not be finished: a failed
   * or cancelled scan. The kernel is unusable afterwards. `finish` frees it too.
   */
  release?(): void;
}

/** Elements per call of a kernel's hot-loop method. */
export const KERNEL_BLOCK_ELEMENTS = 1 << 16;
/** Elements of the very first call of a hot-loop method (see `BlockSplitter`). */
export const WARMUP_BLOCK_ELEMENTS = 64;

/**
 * Cuts a chunk into hot-loop blocks. V8 compiles a long loop on-stack (OSR) before the code after
 * it has ever run; that code then lacks type feedback, every exit from the loop deoptimizes, and
 * the stale OSR code is reused on the next call (measured: F32 fell from ~1.0 to ~0.45 GB/s). So
 * hot loops live in methods called once per block, and the first block a method ever sees is
 * tiny: the interpreter runs the whole method once and records feedback before V8 compiles it.
 * Keep one splitter per hot-loop function (module level), not per kernel.
 */
export class BlockSplitter {
  private warm = false;

  /** End of the block that starts at `start`, for a loop over [0, n). */
  end(start: number, n: number): number {
    if (!this.warm) {
      this.warm = true;
      return Math.min(n, start + WARMUP_BLOCK_ELEMENTS);
    }
    return Math.min(n, start + KERNEL_BLOCK_ELEMENTS);
  }
}

/** Typed-array views read floats in platform byte order; safetensors data is little-endian. */
export const PLATFORM_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Checks that chunks are whole groups, contiguous and in order, and that all elements arrived. */
export class ChunkCursor {
  private readonly groupBytes: number;
  private readonly groupElements: number;
  private readonly dtype: Dtype;
  private next = 0;

  private readonly elements: number;

  constructor(dtype: Dtype, elements: number) {
    this.elements = elements;
    const group = dtypeGroup(dtype);
    this.groupBytes = group.bytes;
    this.groupElements = group.elements;
    this.dtype = dtype;
  }

  /** Validates one chunk and returns how many elements it holds. */
  advance(chunk: Uint8Array, firstElement: number): number {
    if (chunk.length % this.groupBytes !== 0) {
      throw new RangeError(`${this.dtype} chunk of ${chunk.length} bytes splits an element group`);
    }
    if (firstElement !== this.next) {
      throw new RangeError(`chunk starts at element ${firstElement}, expected ${this.next}`);
    }
    const count = (chunk.length / this.groupBytes) * this.groupElements;
    if (this.next + count > this.elements) {
      throw new RangeError(`chunk runs past the tensor's ${this.elements} elements`);
    }
    this.next += count;
    return count;
  }

  assertComplete(): void {
    if (this.next !== this.elements) {
      throw new RangeError(`scan saw ${this.next} of ${this.elements} elements`);
    }
  }
}

/**
 * Returns `chunk` itself when its offset is a multiple of `alignment` (typed-array views need it),
 * else a copy in a reused scratch buffer. Only odd-offset views from unusual sources pay for a copy.
 */
export class ChunkAligner {
  /** Made at the first odd chunk: a kernel per tiny tensor allocated an empty one each. */
  private scratch: Uint8Array | null = null;

  align(chunk: Uint8Array, alignment: number): Uint8Array {
    if (chunk.byteOffset % alignment === 0) {
      return chunk;
    }
    if (this.scratch === null || this.scratch.length < chunk.length) {
      this.scratch = new Uint8Array(chunk.length);
    }
    const copy = this.scratch.subarray(0, chunk.length);
    copy.set(chunk);
    return copy;
  }
}

export function assertLittleEndian(): void {
  if (!PLATFORM_IS_LITTLE_ENDIAN) {
    throw new Error('ckptscope scan kernels need a little-endian platform');
  }
}
