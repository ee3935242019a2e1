import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import type { StreamOptions } from '../quant/stream/read-exact';
import { throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import type { MetricsSummary } from './pair-metrics';
import { acquireDiffInstance, releaseDiffInstance } from './wasm/diff-instance';
import { aligned, pipelineChunks, readTo } from './wasm/memory-reads';
import { FP4_SUB_BLOCK, PairKernel } from './wasm/pair-kernel';

/** Bytes per element of the dtypes the plain kernel reads (BF16 widened to F32 in the kernel). */
const FLOAT_BYTES: Readonly<Partial<Record<string, number>>> = { BF16: 2, F32: 4 };

/** One side of a plain pair: where its bytes are and what they are. */
export interface PlainSide {
  readonly source: ByteSource;
  readonly info: TensorInfo;
}

/**
 * Compares two plain float tensors of the same element count (BF16 or F32 each) in the WASM
 * kernel, both read one chunk ahead straight into its memory: the figures of PairMetrics over the
 * two value streams (within rounding of the summation order; tested against them). Null when
 * WebAssembly SIMD is not available or a dtype is not BF16/F32: the caller then streams.
 */
export async function comparePlainFused(
  a: PlainSide,
  b: PlainSide,
  options: StreamOptions & { readonly onElements?: (elements: number) => void },
): Promise<MetricsSummary | null> {
  const aBytes = FLOAT_BYTES[a.info.dtype];
  const bBytes = FLOAT_BYTES[b.info.dtype];
  const n = a.info.elements;
  if (
    aBytes === undefined ||
    bBytes === undefined ||
    b.info.elements !== n ||
    a.info.nbytes !== n * aBytes ||
    b.info.nbytes !== n * bBytes
  ) {
    return null;
  }
  const wasm = acquireDiffInstance();
  if (wasm === null) {
    return null;
  }
  try {
    const wide = Math.max(aBytes, bBytes);
    // Whole sub-blocks per chunk: only the tensor's last chunk ends inside one.
    const perChunk = Math.max(
      FP4_SUB_BLOCK,
      Math.floor(chunkBytesOf(options) / wide / FP4_SUB_BLOCK) * FP4_SUB_BLOCK,
    );
    const slotElements = Math.min(perChunk, n);
    const slotBytes = aligned(slotElements * aBytes) + aligned(slotElements * bBytes);
    wasm.ensureBytes(wasm.slotBytes + 2 * slotBytes);
    const slotA = (i: number): number => wasm.slotBytes + i * slotBytes;
    const slotB = (i: number): number => slotA(i) + aligned(slotElements * aBytes);
    const kernel = new PairKernel(wasm);
    await pipelineChunks(
      Math.ceil(n / perChunk),
      (chunk, i) => {
        const first = chunk * perChunk;
        const count = Math.min(perChunk, n - first);
        return Promise.all([
          readTo(wasm, a.source, a.info, first * aBytes, count * aBytes, slotA(i)),
          readTo(wasm, b.source, b.info, first * bBytes, count * bBytes, slotB(i)),
        ]);
      },
      (chunk, i) => {
        throwIfCancelled(options, a.source.name, a.info.name);
        const first = chunk * perChunk;
        const count = Math.min(perChunk, n - first);
        kernel.runPlain(slotA(i), aBytes === 2, slotB(i), bBytes === 2, count);
        options.onElements?.(first + count);
      },
    );
    return kernel.result('A').metrics;
  } finally {
    // pipelineChunks settles only once no read can still land in the instance's memory.
    releaseDiffInstance(wasm);
  }
}
