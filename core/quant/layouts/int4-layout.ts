import { assertUnreachable } from '../../dtype/dtype';
import type { TensorInfo } from '../../format/tensor-info';
import type { Result } from '../../result';
import { err, ok } from '../../result';
import type { Int4Layout, Int4Packing } from '../quant-layout';
import { sameShape, shapeText } from '../shape-util';

/** 4-bit values per 32-bit word (AWQ, GPTQ, compressed-tensors pack-quantized). */
export const INT4_PER_WORD = 8;
/** 4-bit values per byte (ModelOpt W4A16_AWQ). */
export const INT4_PER_BYTE = 2;
/** GPTQ v1 stores each zero point minus one (formats.md §4e). */
export const GPTQ_V1_ZERO_OFFSET = 1;
/** Group sizes tried when no config names one. */
const GROUP_CANDIDATES: readonly number[] = [128, 64, 32, 256, 16];

export interface Int4Tensors {
  readonly weight: TensorInfo;
  readonly scale: TensorInfo;
  readonly zeroPoint: TensorInfo | null;
  readonly groupIndex: TensorInfo | null;
}

export interface Int4Options {
  readonly groupSize: number | null;
  /** 0 for checkpoints that store zero points as they are (GPTQ v2). */
  readonly gptqZeroOffset: number;
  /** compressed-tensors: the unpacked in-features when known (from `weight_shape`). */
  readonly inFeatures: number | null;
}

function groupOf(inFeatures: number, groups: number, preferred: number | null): number | null {
  if (groups === 1) {
    return inFeatures;
  }
  for (const g of preferred === null ? GROUP_CANDIDATES : [preferred, ...GROUP_CANDIDATES]) {
    if (Math.ceil(inFeatures / g) === groups) {
      return g;
    }
  }
  const even = Math.ceil(inFeatures / groups);
  return Math.ceil(inFeatures / even) === groups ? even : null;
}

function is2d(t: TensorInfo): boolean {
  return t.shape.length === 2;
}

/**
 * The int4 layout of one packing from the tensors' shapes, or the shape the scale (or weight)
 * should have had. See `Int4Packing` for each layout.
 */
export function int4Layout(
  packing: Int4Packing,
  t: Int4Tensors,
  options: Int4Options,
): Result<Int4Layout, string> {
  if (!is2d(t.weight) || !is2d(t.scale)) {
    return err('a 2-D packed weight and a 2-D scale');
  }
  const [w0, w1] = t.weight.shape;
  const [s0, s1] = t.scale.shape;
  let outFeatures: number;
  let inFeatures: number;
  let groups: number;
  let expected: number[];
  switch (packing) {
    case 'awq-gemm':
      inFeatures = w0;
      outFeatures = w1 * INT4_PER_WORD;
      groups = s0;
      expected = [s0, outFeatures];
      break;
    case 'gptq':
      inFeatures = t.groupIndex?.shape[0] ?? w0 * INT4_PER_WORD;
      outFeatures = w1;
      groups = s0;
      expected = [s0, outFeatures];
      break;
    case 'ct-pack':
      outFeatures = w0;
      inFeatures = options.inFeatures ?? w1 * INT4_PER_WORD;
      groups = s1;
      expected = [outFeatures, s1];
      break;
    case 'modelopt-awq':
      outFeatures = w0 * INT4_PER_BYTE;
      inFeatures = w1;
      groups = s1;
      expected = [outFeatures, s1];
      break;
    default:
      return assertUnreachable(packing);
  }
  const groupSize = groupOf(inFeatures, groups, options.groupSize);
  if (!sameShape(t.scale.shape, expected) || groupSize === null) {
    return err(`${shapeText(expected)} with one group per ${options.groupSize ?? 'g'} inputs`);
  }
  const transposed = packing === 'awq-gemm' || packing === 'gptq';
  return ok({
    kind: 'int4',
    packing,
    groupSize,
    outFeatures,
    inFeatures,
    elementShape: transposed ? [inFeatures, outFeatures] : [outFeatures, inFeatures],
    zeroPoints: t.zeroPoint !== null,
    zeroOffset: packing === 'gptq' ? options.gptqZeroOffset : 0,
    groupIndex: t.groupIndex !== null,
  });
}

/** The shape packed zero points must have for a layout (none for ModelOpt AWQ, which is symmetric). */
export function expectedZeroShape(layout: Int4Layout): number[] | null {
  const groups = Math.ceil(layout.inFeatures / layout.groupSize);
  const packedOut = Math.ceil(layout.outFeatures / INT4_PER_WORD);
  switch (layout.packing) {
    case 'awq-gemm':
    case 'gptq':
      return [groups, packedOut];
    case 'ct-pack':
      return [packedOut, groups];
    case 'modelopt-awq':
      return null;
    default:
      return assertUnreachable(layout.packing);
  }
}
