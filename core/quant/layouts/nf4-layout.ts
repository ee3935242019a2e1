import type { TensorInfo } from '../../format/tensor-info';
import type { Result } from '../../result';
import { err, ok } from '../../result';
import type { Nf4Layout } from '../quant-layout';

/** bitsandbytes' default 4-bit block size (`blocksize=64`). */
export const BNB_DEFAULT_BLOCK_SIZE = 64;
/** The 4-bit block sizes bitsandbytes accepts, the default first. */
const BNB_BLOCK_SIZES: readonly number[] = [64, 32, 128, 256, 512, 1024, 2048, 4096];

/**
 * The bitsandbytes 4-bit layout from the packed weight (U8, two codes per byte) and `absmax` (one
 * per block): the element count is 2 · bytes unless the quant state says otherwise, and the block
 * size the power of two that makes ⌈N / block⌉ = absmax elements (the default 64 when it fits).
 */
export function nf4Layout(
  weight: TensorInfo,
  absmax: TensorInfo,
  known: { readonly elements: number; readonly blockSize: number } | null,
): Result<Nf4Layout, string> {
  if (weight.dtype !== 'U8') {
    return err('a U8 packed weight');
  }
  const elements = known?.elements ?? weight.nbytes * 2;
  const doubleQuant = absmax.dtype === 'U8';
  let blockSize = known?.blockSize ?? null;
  if (blockSize === null) {
    blockSize = BNB_BLOCK_SIZES.find((b) => Math.ceil(elements / b) === absmax.elements) ?? null;
  }
  if (blockSize === null || Math.ceil(elements / blockSize) !== absmax.elements) {
    return err(`[${Math.ceil(elements / (blockSize ?? BNB_DEFAULT_BLOCK_SIZE))}] (one per block)`);
  }
  return ok({ kind: 'nf4', blockSize, elementShape: [elements], doubleQuant });
}
