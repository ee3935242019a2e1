import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { readRange } from '../io/read-range';

/** Whether a NaN block scale's patch changes any dequantized value. */
export type BlockClassification = 'neutral' | 'lossy';

/** Suffix of an NVFP4 per-block scale (ModelOpt and compressed-tensors alike). */
export const NVFP4_SCALE_SUFFIX = '.weight_scale';
/** The packed FP4 weight beside a scale: ModelOpt `.weight`, compressed-tensors `.weight_packed`. */
export const NVFP4_WEIGHT_SUFFIXES = ['.weight', '.weight_packed'] as const;
/** Packed weight bytes per block scale: 16 E2M1 codes, two per byte (low nibble = element 2k). */
export const NVFP4_BLOCK_BYTES = 8;
/**
 * The magnitude bits of both nibbles of a packed byte (S EE M per nibble). A code is ±0 exactly
 * when its three magnitude bits are clear (0x0 or 0x8), so a byte holds two ±0 codes iff b & 0x77 = 0.
 */
const FP4_PAIR_MAGNITUDE_MASK = 0x77;
/**
 * Adjacent NaN blocks are classified with one read covering all of them, up to this many bytes
 * (8,192 blocks); memory stays bounded whatever the tensor size.
 */
export const CLASSIFY_READ_MAX_BYTES = 64 * 1024;

/**
 * The packed FP4 weight an F8_E4M3 `P.weight_scale` of shape [..., R, S] scales: `P.weight` or
 * `P.weight_packed`, U8, shape [..., R, 8·S] (same leading dims). Null when there is none: then the
 * scale's patches are not classified.
 */
export function pairedNvfp4Weight(header: SafetensorsHeader, scale: TensorInfo): TensorInfo | null {
  if (
    scale.dtype !== 'F8_E4M3' ||
    !scale.name.endsWith(NVFP4_SCALE_SUFFIX) ||
    scale.shape.length < 2
  ) {
    return null;
  }
  const prefix = scale.name.slice(0, scale.name.length - NVFP4_SCALE_SUFFIX.length);
  for (const suffix of NVFP4_WEIGHT_SUFFIXES) {
    const weight = header.byName.get(prefix + suffix);
    if (weight !== undefined && weight.dtype === 'U8' && shapesPair(scale.shape, weight.shape)) {
      return weight;
    }
  }
  return null;
}

function shapesPair(scale: readonly number[], weight: readonly number[]): boolean {
  const last = scale.length - 1;
  if (weight.length !== scale.length || weight[last] !== NVFP4_BLOCK_BYTES * scale[last]) {
    return false;
  }
  return scale.every((d, i) => i === last || d === weight[i]);
}

/** True when all 16 FP4 codes of the block starting at `at` are ±0. */
export function isZeroBlock(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < NVFP4_BLOCK_BYTES; k++) {
    if ((bytes[at + k] & FP4_PAIR_MAGNITUDE_MASK) !== 0) {
      return false;
    }
  }
  return true;
}

/**
 * Classifies NaN block scales (flat indices into the scale, ascending) by reading the paired weight's
 * blocks: block i is bytes [8i, 8i + 8) of the weight. "neutral" when all its codes are ±0 (any
 * finite scale dequantizes them to 0), else "lossy". Nearby blocks share one read of at most
 * CLASSIFY_READ_MAX_BYTES; `buffer` (that size) is reused when the source allows.
 */
export async function classifyBlocks(
  source: ByteSource,
  weight: TensorInfo,
  blocks: readonly number[],
  buffer: Uint8Array | null,
): Promise<BlockClassification[]> {
  const out: BlockClassification[] = [];
  let i = 0;
  while (i < blocks.length) {
    const first = blocks[i];
    let j = i + 1;
    while (
      j < blocks.length &&
      (blocks[j] - first + 1) * NVFP4_BLOCK_BYTES <= CLASSIFY_READ_MAX_BYTES
    ) {
      j++;
    }
    const span = (blocks[j - 1] - first + 1) * NVFP4_BLOCK_BYTES;
    const bytes = await readRange(
      source,
      weight.offset + first * NVFP4_BLOCK_BYTES,
      span,
      buffer,
      weight.name,
    );
    for (let k = i; k < j; k++) {
      out.push(isZeroBlock(bytes, (blocks[k] - first) * NVFP4_BLOCK_BYTES) ? 'neutral' : 'lossy');
    }
    i = j;
  }
  return out;
}
