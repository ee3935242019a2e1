import type { Dtype } from '../../dtype/dtype';
import type { MemberGroup } from '../group-members';
import { fp8Layout } from '../layouts/fp8-layout';
import { MX_BLOCK_SIZE, NVFP4_BLOCK_SIZE } from '../layouts/fp4-layout';
import type { Fp4Options } from '../layouts/fp4-layout';
import type { ScaleEncoding } from '../quant-layout';
import type { QuantProducer, QuantRole, TensorRef } from '../quant-types';
import { encodingOfDtype, isFp8, isPackedNibbles, isWideFloat } from '../scale-encoding';
import { sameShape } from '../shape-util';
import { swizzledShape } from '../swizzle';
import { SCALE_LIKE_SUFFIXES } from '../tensor-names';
import type { Classification, MemberLookup, Recipe } from './candidate';
import { moduleOf, rolesOf } from './candidate';
import {
  classifyBitsAndBytes,
  classifyComfy,
  classifyCompressed,
  classifyGptOss,
  classifyPackedInt,
  classifyTorchao,
  COMFY_NVFP4,
  MXFP4_ROW_MAJOR,
} from './classify-families';

/** The verdict of most groups, shared (a million-tensor header made a million of them). */
const PLAIN: Classification = Object.freeze({ kind: 'plain' });

/** ModelOpt NVFP4: low nibble first, E4M3 block scales in row-major order, global multiplier. */
const MODELOPT_NVFP4: Fp4Options = {
  nibbleOrder: 'low-first',
  blockSize: NVFP4_BLOCK_SIZE,
  scaleEncoding: 'e4m3',
  scaleLayout: 'row-major',
  globalScale: 'multiply',
};

/*
 * Recipes and role lists shared by every candidate of their kind: they are read, never changed, and
 * 100,000 experts each made their own copies of them.
 */
const FP8_RECIPE: Recipe = { decoder: 'fp8' };
const NONE_RECIPE: Recipe = { decoder: 'none' };
const MXFP4_RECIPE: Recipe = { decoder: 'fp4', options: MXFP4_ROW_MAJOR };
const MODELOPT_NVFP4_RECIPE: Recipe = { decoder: 'fp4', options: MODELOPT_NVFP4 };
const COMFY_NVFP4_RECIPE: Recipe = { decoder: 'fp4', options: COMFY_NVFP4 };
const MODELOPT_AWQ_RECIPE: Recipe = { decoder: 'int4', packing: 'modelopt-awq' };
const SCALE_REQUIRED: readonly QuantRole[] = ['scale'];
const NVFP4_REQUIRED: readonly QuantRole[] = ['scale', 'globalScale'];
const NOTHING_REQUIRED: readonly QuantRole[] = [];

/**
 * Classifies one prefix group from names, dtypes and shapes, in the order of formats.md §5 (first
 * match wins): gpt-oss, compressed-tensors, ComfyUI, AWQ/GPTQ, bitsandbytes, torchao, then the
 * `weight` + `weight_scale*` family (DeepSeek, ModelOpt NVFP4 / FP8 / MXFP8 / MXFP4 / W4A16_AWQ).
 */
export function classifyGroup(group: MemberGroup): Classification {
  const m: MemberLookup = group.members;
  return (
    classifyGptOss(m) ??
    classifyCompressed(m) ??
    classifyComfy(m) ??
    classifyPackedInt(m) ??
    classifyBitsAndBytes(m) ??
    classifyTorchao(m) ??
    classifyWeightScale(m, group)
  );
}

/** Producer hint of an FP8 scale shape (formats.md §4): ModelOpt writes [] / [R], compressed-tensors [1] / [R, 1] / blocks. */
function fp8Producer(scale: TensorRef, encoding: ScaleEncoding): QuantProducer | null {
  const s = scale.info.shape;
  if (encoding === 'e8m0' || s.length === 0 || (s.length === 1 && s[0] !== 1)) {
    return 'modelopt';
  }
  return 'compressed-tensors';
}

/**
 * ComfyUI's swizzled layout when the scale's shape shows its padding ([pad128(R), pad4(C/16)] and
 * not [R, C/16]), whether the E4M3 bytes are stored as U8 or F8_E4M3; else ModelOpt's row-major one.
 */
function isComfySwizzled(weight: TensorRef, scale: TensorRef | undefined): boolean {
  const w = weight.info.shape;
  if (scale === undefined || w.length !== 2) {
    return false;
  }
  const rows = w[0];
  const scaleCols = (w[1] * 2) / NVFP4_BLOCK_SIZE;
  const padded = swizzledShape(rows, scaleCols);
  return sameShape(scale.info.shape, padded) && !sameShape(padded, [rows, scaleCols]);
}

function isByteScale(dtype: Dtype): boolean {
  return dtype === 'U8' || dtype === 'F8_E8M0';
}

function classifyWeightScale(m: MemberLookup, group: MemberGroup): Classification {
  const weight = m.get('weight');
  const scale = m.get('weight_scale');
  const inv = m.get('weight_scale_inv');
  const global = m.get('weight_scale_2');
  const input = m.get('input_scale');
  if (weight === undefined) {
    const scales = [...group.members].filter(([s]) => SCALE_LIKE_SUFFIXES.has(s)).map(([, t]) => t);
    return scales.length === 0 ? PLAIN : { kind: 'orphans', tensors: scales };
  }
  const dtype = weight.info.dtype;
  if (inv === undefined && scale === undefined && !isPackedNibbles(dtype)) {
    // Most groups of a checkpoint: a weight alone (plain, or an FP8 weight the scheme may claim).
    return loneWeight(weight, m);
  }
  // Every candidate below is one object literal: spreading a shared base into each made the
  // literal take V8's slow path (~6 µs a module, most of 100,000 experts' recognition).
  const roles = rolesOf({ weight, scale: scale ?? inv, globalScale: global, inputScale: input });
  if (inv !== undefined) {
    return moduleOf({
      roles,
      lone: null,
      scheme: 'fp8-block',
      producer: 'deepseek',
      recipe: FP8_RECIPE,
      scaleEncoding: encodingOfDtype(inv.info.dtype),
      required: SCALE_REQUIRED,
    });
  }
  if (isPackedNibbles(dtype) && (global !== undefined || scale?.info.dtype === 'F8_E4M3')) {
    const comfy = isComfySwizzled(weight, scale);
    return moduleOf({
      roles,
      lone: null,
      scheme: 'nvfp4',
      producer: comfy ? 'comfyui' : scale?.info.dtype === 'U8' ? null : 'modelopt',
      recipe: comfy ? COMFY_NVFP4_RECIPE : MODELOPT_NVFP4_RECIPE,
      scaleEncoding: 'e4m3',
      required: NVFP4_REQUIRED,
    });
  }
  if (scale === undefined) {
    return loneWeight(weight, m);
  }
  if (isFp8(dtype)) {
    const encoding = isByteScale(scale.info.dtype) ? 'e8m0' : encodingOfDtype(scale.info.dtype);
    const block: [number, number] | null = encoding === 'e8m0' ? [1, MX_BLOCK_SIZE] : null;
    const fp8 = fp8Layout(weight.info, scale.info, encoding, block);
    return moduleOf({
      roles,
      lone: null,
      scheme: fp8.ok
        ? fp8.value.scheme
        : encoding === 'e8m0'
          ? 'mxfp8'
          : scale.info.elements === 1
            ? 'fp8-tensor'
            : 'fp8-block',
      producer: fp8Producer(scale, encoding),
      recipe: FP8_RECIPE,
      scaleEncoding: encoding,
      required: SCALE_REQUIRED,
    });
  }
  if (isPackedNibbles(dtype) && isByteScale(scale.info.dtype)) {
    return moduleOf({
      roles,
      lone: null,
      scheme: 'mxfp4',
      producer: 'modelopt',
      recipe: MXFP4_RECIPE,
      scaleEncoding: 'e8m0',
      required: SCALE_REQUIRED,
    });
  }
  if (dtype === 'U8' && isWideFloat(scale.info.dtype)) {
    return moduleOf({
      roles: rolesOf({ ...roles, preQuantScale: m.get('pre_quant_scale') }),
      lone: null,
      scheme: 'awq',
      producer: 'modelopt',
      recipe: MODELOPT_AWQ_RECIPE,
      scaleEncoding: 'float',
      required: SCALE_REQUIRED,
    });
  }
  // A weight scale beside a weight of no known quantized layout (e.g. an F32 weight).
  return moduleOf({
    roles,
    lone: null,
    scheme: 'unknown',
    producer: null,
    recipe: NONE_RECIPE,
    scaleEncoding: encodingOfDtype(scale.info.dtype),
    required: NOTHING_REQUIRED,
  });
}

/** An FP8 or U8 weight with no weight scale: a module only if the checkpoint's scheme expects one. */
function loneWeight(weight: TensorRef, m: MemberLookup): Classification {
  const dtype = weight.info.dtype;
  const lone = isFp8(dtype) ? 'fp8' : isPackedNibbles(dtype) ? 'u8' : null;
  if (lone === null) {
    return PLAIN;
  }
  return moduleOf({
    scheme: null,
    producer: null,
    recipe: NONE_RECIPE,
    roles: rolesOf({
      weight,
      globalScale: m.get('weight_scale_2'),
      inputScale: m.get('input_scale'),
    }),
    scaleEncoding: lone === 'fp8' ? 'float' : 'e4m3',
    required: SCALE_REQUIRED,
    lone,
  });
}
