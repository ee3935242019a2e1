import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';

/**
 * Where the codes a block scale multiplies sit: `blockBytes` consecutive bytes of `weight` per
 * scale element (scale element i ↔ weight bytes [i·blockBytes, (i+1)·blockBytes)), holding two
 * E2M1 codes per byte (`fp4`) or one F8_E4M3 code per byte (`fp8`).
 */
export interface BlockPairing {
  readonly weight: TensorInfo;
  readonly blockBytes: number;
  readonly codes: 'fp4' | 'fp8';
}

/** Suffix of a per-block scale (ModelOpt, compressed-tensors: NVFP4, MXFP4, MXFP8). */
export const BLOCK_SCALE_SUFFIX = '.weight_scale';
/** The weight beside a scale: ModelOpt `.weight`, compressed-tensors `.weight_packed`. */
export const BLOCK_WEIGHT_SUFFIXES = ['.weight', '.weight_packed'] as const;
/** NVFP4: 16 E2M1 codes per F8_E4M3 scale, two per byte (low nibble = element 2k). */
export const NVFP4_BLOCK_BYTES = 8;
/** OCP MX block of 32 elements: 16 bytes of packed E2M1 (MXFP4) or 32 F8_E4M3 bytes (MXFP8). */
export const MXFP4_BLOCK_BYTES = 16;
export const MXFP8_BLOCK_BYTES = 32;
/**
 * ComfyUI writes `P.comfy_quant` beside scales it stores in the cuBLAS swizzled layout (formats.md
 * §4g; comfy-kitchen MXFP8 likewise): scale element i is then not block i of the weight, so such
 * scales are never paired (their patches stay unclassified rather than wrongly classified).
 */
const SWIZZLED_MARKER_SUFFIX = '.comfy_quant';
/** gpt-oss MXFP4: `X_scales` [..., S] beside `X_blocks` [..., S, 16] (also `.scales`/`.blocks`). */
const GPT_OSS_PAIRS: readonly (readonly [string, string])[] = [
  ['_scales', '_blocks'],
  ['.scales', '.blocks'],
];

/**
 * The weight blocks a scale tensor `scale` (decoded as `treatedAs`) multiplies, or null when none
 * is found with a layout whose block i is scale element i:
 * - F8_E4M3 `P.weight_scale` [..., R, S] (stored as F8_E4M3: U8-stored E4M3 scales are ComfyUI's,
 *   swizzled) with a U8 `P.weight`/`P.weight_packed` [..., R, 8·S]: NVFP4;
 * - E8M0 `P.weight_scale` [..., R, S] with U8 [..., R, 16·S] (MXFP4) or F8_E4M3 [..., R, 32·S]
 *   (MXFP8), or gpt-oss `X_scales` [...] with U8 `X_blocks` [..., 16].
 * Transposed expert layouts (blocks along dim -2) do not pair.
 */
export function pairedBlocks(
  header: SafetensorsHeader,
  scale: TensorInfo,
  treatedAs: 'F8_E4M3' | 'F8_E8M0',
): BlockPairing | null {
  if (scale.name.endsWith(BLOCK_SCALE_SUFFIX) && scale.shape.length >= 2) {
    const prefix = scale.name.slice(0, scale.name.length - BLOCK_SCALE_SUFFIX.length);
    if (header.byName.has(prefix + SWIZZLED_MARKER_SUFFIX)) {
      return null;
    }
    for (const suffix of BLOCK_WEIGHT_SUFFIXES) {
      const weight = header.byName.get(prefix + suffix);
      const pairing = weight === undefined ? null : suffixPairing(scale, weight, treatedAs);
      if (pairing !== null) {
        return pairing;
      }
    }
    return null;
  }
  if (treatedAs === 'F8_E8M0') {
    for (const [scales, blocks] of GPT_OSS_PAIRS) {
      if (scale.name.endsWith(scales)) {
        const weight = header.byName.get(scale.name.slice(0, -scales.length) + blocks);
        if (
          weight !== undefined &&
          weight.dtype === 'U8' &&
          weight.shape.length === scale.shape.length + 1 &&
          weight.shape[weight.shape.length - 1] === MXFP4_BLOCK_BYTES &&
          scale.shape.every((d, i) => d === weight.shape[i])
        ) {
          return { weight, blockBytes: MXFP4_BLOCK_BYTES, codes: 'fp4' };
        }
      }
    }
  }
  return null;
}

function suffixPairing(
  scale: TensorInfo,
  weight: TensorInfo,
  treatedAs: 'F8_E4M3' | 'F8_E8M0',
): BlockPairing | null {
  const layout = blockLayout(scale, weight, treatedAs);
  return layout !== null && shapesPair(scale.shape, weight.shape, layout.blockBytes)
    ? { weight, ...layout }
    : null;
}

/** How `weight` holds the blocks of an E4M3 (NVFP4) or E8M0 (MX) scale, by dtypes alone. */
function blockLayout(
  scale: TensorInfo,
  weight: TensorInfo,
  treatedAs: 'F8_E4M3' | 'F8_E8M0',
): Omit<BlockPairing, 'weight'> | null {
  if (treatedAs === 'F8_E4M3') {
    // Only scales stored as F8_E4M3: U8-stored E4M3 scales are ComfyUI's, swizzled.
    return scale.dtype === 'F8_E4M3' && weight.dtype === 'U8'
      ? { blockBytes: NVFP4_BLOCK_BYTES, codes: 'fp4' }
      : null;
  }
  if (weight.dtype === 'U8') {
    return { blockBytes: MXFP4_BLOCK_BYTES, codes: 'fp4' };
  }
  return weight.dtype === 'F8_E4M3' ? { blockBytes: MXFP8_BLOCK_BYTES, codes: 'fp8' } : null;
}

function shapesPair(
  scale: readonly number[],
  weight: readonly number[],
  blockBytes: number,
): boolean {
  const last = scale.length - 1;
  if (weight.length !== scale.length || weight[last] !== blockBytes * scale[last]) {
    return false;
  }
  return scale.every((d, i) => i === last || d === weight[i]);
}
