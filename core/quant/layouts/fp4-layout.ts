import type { TensorInfo } from '../../format/tensor-info';
import type { Result } from '../../result';
import { err, ok } from '../../result';
import type { Fp4Layout } from '../quant-layout';
import { sameShape, shapeText } from '../shape-util';
import { swizzledShape } from '../swizzle';

/** NVFP4: one E4M3 scale per 16 elements (ModelOpt, compressed-tensors, ComfyUI). */
export const NVFP4_BLOCK_SIZE = 16;
/** OCP MXFP4 / MXFP8: one E8M0 scale per 32 elements (gpt-oss, compressed-tensors, ModelOpt MX). */
export const MX_BLOCK_SIZE = 32;
/** gpt-oss `*_blocks` end in 16 bytes: one 32-element MXFP4 block per row of the last dim. */
export const GPT_OSS_BLOCK_BYTES = 16;

export type Fp4Options = Pick<
  Fp4Layout,
  'nibbleOrder' | 'blockSize' | 'scaleEncoding' | 'scaleLayout' | 'globalScale'
>;

/** Elements per stored byte along the packed axis: U8 holds two codes, `F4` is one per element. */
function packedCols(weight: TensorInfo, stored: number): number {
  return weight.dtype === 'F4' ? stored : stored * 2;
}

/**
 * The FP4 layout of `weight` and its block `scale`, or what the scale's shape should have been.
 * Tries the row-major layout (blocks along the last axis), then, for the row-major scale layout only,
 * the ModelOpt BMM-style experts layout (blocks along the axis before it).
 */
export function fp4Layout(
  weight: TensorInfo,
  scale: TensorInfo,
  options: Fp4Options,
): Result<Fp4Layout, string> {
  const w = weight.shape;
  if (w.length < 1) {
    return err('a packed weight of at least one dimension');
  }
  const lead = w.slice(0, -2);
  const rows = w.length >= 2 ? w[w.length - 2] : 1;
  const cols = packedCols(weight, w[w.length - 1]);
  const rowDims = w.length >= 2 ? [...lead, rows] : [];
  const b = options.blockSize;
  const scaleCols = cols / b;
  const logical = [...rowDims, scaleCols];
  const expected =
    options.scaleLayout === 'row-major' ? logical : [...lead, ...swizzledShape(rows, scaleCols)];
  if (cols % b === 0 && sameShape(scale.shape, expected)) {
    return ok({
      kind: 'fp4',
      ...options,
      packedAxis: 'last',
      elementShape: [...rowDims, cols],
      scaleShape: logical,
    });
  }
  if (options.scaleLayout === 'row-major' && w.length >= 3) {
    const transposed = transposedLayout(weight, scale, options);
    if (transposed !== null) {
      return ok(transposed);
    }
  }
  return err(
    cols % b === 0
      ? shapeText(expected)
      : `a last dimension of ${cols} elements divisible by the ${b}-element block`,
  );
}

/** ModelOpt experts [E, in, out] on disk: weight U8 [E, in/2, out], scale [E, in/B, out]. */
function transposedLayout(
  weight: TensorInfo,
  scale: TensorInfo,
  options: Fp4Options,
): Fp4Layout | null {
  const w = weight.shape;
  const lead = w.slice(0, -2);
  const inFeatures = packedCols(weight, w[w.length - 2]);
  const out = w[w.length - 1];
  const b = options.blockSize;
  if (inFeatures % b !== 0 || !sameShape(scale.shape, [...lead, inFeatures / b, out])) {
    return null;
  }
  return {
    kind: 'fp4',
    ...options,
    packedAxis: 'second-last',
    elementShape: [...lead, inFeatures, out],
    scaleShape: [...lead, inFeatures / b, out],
  };
}

/**
 * gpt-oss MXFP4: `blocks` U8 [...S, 16] and `scales` U8 [...S] (blocks.shape[:-1] == scales.shape),
 * 32 elements per block, low nibble first. Unpacks to [...S[:-1], S[-1]·32].
 */
export function gptOssLayout(blocks: TensorInfo, scales: TensorInfo): Result<Fp4Layout, string> {
  const b = blocks.shape;
  const s = b.slice(0, -1);
  if (b.length < 2 || b[b.length - 1] !== GPT_OSS_BLOCK_BYTES) {
    return err(`blocks shaped [..., ${GPT_OSS_BLOCK_BYTES}]`);
  }
  if (!sameShape(scales.shape, s)) {
    return err(shapeText(s));
  }
  return ok({
    kind: 'fp4',
    nibbleOrder: 'low-first',
    blockSize: MX_BLOCK_SIZE,
    packedAxis: 'last',
    scaleEncoding: 'e8m0',
    scaleLayout: 'row-major',
    globalScale: 'none',
    elementShape: [...s.slice(0, -1), s[s.length - 1] * MX_BLOCK_SIZE],
    scaleShape: s,
  });
}
