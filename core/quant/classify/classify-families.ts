import { fp8Layout } from '../layouts/fp8-layout';
import { MX_BLOCK_SIZE, NVFP4_BLOCK_SIZE } from '../layouts/fp4-layout';
import type { Fp4Options } from '../layouts/fp4-layout';
import type { TensorRef } from '../quant-types';
import { encodingOfDtype, isFp8, isPackedNibbles } from '../scale-encoding';
import type { Classification, MemberLookup } from './candidate';
import { moduleOf, rolesOf } from './candidate';

/** compressed-tensors NVFP4: low nibble first, global scale is a divisor (448·6/amax). */
const CT_NVFP4: Fp4Options = {
  nibbleOrder: 'low-first',
  blockSize: NVFP4_BLOCK_SIZE,
  scaleEncoding: 'e4m3',
  scaleLayout: 'row-major',
  globalScale: 'divide',
};
/** compressed-tensors MXFP4: E8M0 scales stored as U8 (`mx_utils.py`), no global scale. */
export const MXFP4_ROW_MAJOR: Fp4Options = {
  nibbleOrder: 'low-first',
  blockSize: MX_BLOCK_SIZE,
  scaleEncoding: 'e8m0',
  scaleLayout: 'row-major',
  globalScale: 'none',
};
/** ComfyUI NVFP4: HIGH nibble first, E4M3 scale bytes in the cuBLAS 128x4 swizzled layout. */
export const COMFY_NVFP4: Fp4Options = {
  nibbleOrder: 'high-first',
  blockSize: NVFP4_BLOCK_SIZE,
  scaleEncoding: 'e4m3',
  scaleLayout: 'cublas-128x4',
  globalScale: 'multiply',
};

function orphansOrNull(tensors: readonly (TensorRef | undefined)[]): Classification | null {
  const present = tensors.filter((t): t is TensorRef => t !== undefined);
  return present.length === 0 ? null : { kind: 'orphans', tensors: present };
}

/** gpt-oss MXFP4: `<p>_blocks` / `<p>_scales` (HF) or `<p>.blocks` / `.scales` (original). */
export function classifyGptOss(m: MemberLookup): Classification | null {
  // Only U8 blocks: a float tensor that merely ends in `.blocks` is not MXFP4 data.
  const stored = m.get('blocks');
  const blocks = stored?.info.dtype === 'U8' ? stored : undefined;
  const scales = m.get('scales');
  const byteScales =
    scales !== undefined && (scales.info.dtype === 'U8' || scales.info.dtype === 'F8_E8M0');
  if (
    blocks === undefined &&
    !(byteScales && m.get('qweight') === undefined && m.get('qzeros') === undefined)
  ) {
    return null;
  }
  if (blocks === undefined) {
    return orphansOrNull([scales]);
  }
  return moduleOf({
    scheme: 'mxfp4',
    producer: 'gpt-oss',
    recipe: { decoder: 'gpt-oss' },
    roles: rolesOf({ weight: blocks, scale: scales }),
    scaleEncoding: 'e8m0',
    required: ['scale'],
    lone: null,
  });
}

/** compressed-tensors: `weight_packed`, `weight_global_scale`, `weight_shape`, zero points, g_idx. */
export function classifyCompressed(m: MemberLookup): Classification | null {
  const weight = m.get('weight_packed');
  const global = m.get('weight_global_scale');
  const inputScale = m.get('input_global_scale');
  const zeroPoint = m.get('weight_zero_point');
  const groupIndex = m.get('weight_g_idx');
  const weightShape = m.get('weight_shape');
  if (
    weight === undefined &&
    global === undefined &&
    inputScale === undefined &&
    zeroPoint === undefined &&
    groupIndex === undefined &&
    weightShape === undefined
  ) {
    // No compressed-tensors name (most groups of any checkpoint): nothing built for them.
    return null;
  }
  const scale = m.get('weight_scale');
  const roles = {
    weight,
    scale,
    globalScale: global,
    inputScale,
    zeroPoint,
    groupIndex,
    weightShape,
  };
  if (weight === undefined) {
    return orphansOrNull([scale, global, roles.inputScale, roles.zeroPoint]);
  }
  const common = { producer: 'compressed-tensors', roles: rolesOf(roles), lone: null } as const;
  const dtype = weight.info.dtype;
  if (global !== undefined || (dtype === 'U8' && scale?.info.dtype === 'F8_E4M3')) {
    return moduleOf({
      ...common,
      scheme: 'nvfp4',
      recipe: { decoder: 'fp4', options: CT_NVFP4 },
      scaleEncoding: 'e4m3',
      required: ['scale', 'globalScale'],
    });
  }
  if (dtype === 'I32' || roles.weightShape !== undefined || roles.zeroPoint !== undefined) {
    return moduleOf({
      ...common,
      scheme: 'w4a16-packed',
      recipe: { decoder: 'int4', packing: 'ct-pack' },
      scaleEncoding: scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype),
      required: ['scale'],
    });
  }
  if (isPackedNibbles(dtype)) {
    return moduleOf({
      ...common,
      scheme: 'mxfp4',
      recipe: { decoder: 'fp4', options: MXFP4_ROW_MAJOR },
      scaleEncoding: 'e8m0',
      required: ['scale'],
    });
  }
  return moduleOf({
    ...common,
    scheme: 'unknown',
    recipe: { decoder: 'none' },
    scaleEncoding: scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype),
    required: [],
  });
}

/** ComfyUI: a `comfy_quant` marker beside the weight. */
export function classifyComfy(m: MemberLookup): Classification | null {
  const marker = m.get('comfy_quant');
  if (marker === undefined) {
    return null;
  }
  const weight = m.get('weight');
  const scale = m.get('weight_scale');
  const roles = rolesOf({
    weight,
    scale,
    globalScale: m.get('weight_scale_2'),
    inputScale: m.get('input_scale'),
    marker,
  });
  const common = { producer: 'comfyui', roles, lone: null } as const;
  if (weight !== undefined && isPackedNibbles(weight.info.dtype)) {
    return moduleOf({
      ...common,
      scheme: 'nvfp4',
      recipe: { decoder: 'fp4', options: COMFY_NVFP4 },
      scaleEncoding: 'e4m3',
      required: ['scale', 'globalScale'],
    });
  }
  if (weight !== undefined && isFp8(weight.info.dtype)) {
    const encoding =
      scale === undefined || scale.info.dtype === 'U8' ? 'e4m3' : encodingOfDtype(scale.info.dtype);
    const fp8 = scale === undefined ? null : fp8Layout(weight.info, scale.info, encoding, null);
    return moduleOf({
      ...common,
      scheme: fp8 !== null && fp8.ok ? fp8.value.scheme : 'fp8-tensor',
      recipe: { decoder: 'fp8' },
      scaleEncoding: encoding,
      required: ['scale'],
    });
  }
  if (weight === undefined) {
    return orphansOrNull([scale, roles.globalScale, roles.inputScale]);
  }
  return moduleOf({
    ...common,
    scheme: 'unknown',
    recipe: { decoder: 'none' },
    scaleEncoding: scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype),
    required: [],
  });
}

/** AutoAWQ GEMM (`qweight` [C, R/8]) and GPTQ (`qweight` [C/8, R], `g_idx`). */
export function classifyPackedInt(m: MemberLookup): Classification | null {
  const weight = m.get('qweight');
  const scale = m.get('scales');
  const zeros = m.get('qzeros');
  const gIdx = m.get('g_idx');
  // A float `scales` alone is too common a name (layer scales) to call an orphan.
  if (weight === undefined && zeros === undefined && gIdx === undefined) {
    return null;
  }
  if (weight === undefined) {
    return orphansOrNull([scale, zeros]);
  }
  let gptq = gIdx !== undefined;
  if (
    !gptq &&
    scale !== undefined &&
    weight.info.shape.length === 2 &&
    scale.info.shape.length === 2
  ) {
    gptq = scale.info.shape[1] === weight.info.shape[1];
  }
  return moduleOf({
    scheme: gptq ? 'gptq' : 'awq',
    producer: gptq ? 'gptq' : 'autoawq',
    recipe: { decoder: 'int4', packing: gptq ? 'gptq' : 'awq-gemm' },
    roles: rolesOf({ weight, scale, zeroPoint: zeros, groupIndex: gIdx }),
    scaleEncoding: scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype),
    required: ['scale', 'zeroPoint'],
    lone: null,
  });
}

/** bitsandbytes 4-bit: `weight.absmax`, `weight.quant_map`, `weight.quant_state.bitsandbytes__*`. */
export function classifyBitsAndBytes(m: MemberLookup): Classification | null {
  const nf4State = m.get('weight.quant_state.bitsandbytes__nf4');
  const fp4State = m.get('weight.quant_state.bitsandbytes__fp4');
  const absmax = m.get('weight.absmax');
  const quantMap = m.get('weight.quant_map');
  if (
    nf4State === undefined &&
    fp4State === undefined &&
    absmax === undefined &&
    quantMap === undefined
  ) {
    return null;
  }
  const weight = m.get('weight');
  if (weight === undefined) {
    return orphansOrNull([absmax]);
  }
  const nf4 = fp4State === undefined;
  return moduleOf({
    scheme: nf4 ? 'nf4' : 'unknown',
    producer: 'bitsandbytes',
    recipe: nf4 ? { decoder: 'nf4' } : { decoder: 'none' },
    roles: rolesOf({
      weight,
      scale: absmax,
      quantMap,
      quantState: nf4State ?? fp4State,
      nestedScale: m.get('weight.nested_absmax'),
      nestedQuantMap: m.get('weight.nested_quant_map'),
    }),
    scaleEncoding: 'float',
    required: ['scale', 'quantMap'],
    lone: null,
  });
}

/** torchao tensor subclasses: `<p>.weight:qdata` with `<p>.weight:scale` (Float8Tensor). */
export function classifyTorchao(m: MemberLookup): Classification | null {
  const weight = m.get('qdata');
  const scale = m.get('torchao_scale');
  if (weight === undefined && scale === undefined) {
    return null;
  }
  if (weight === undefined) {
    return orphansOrNull([scale]);
  }
  const roles = rolesOf({ weight, scale });
  if (!isFp8(weight.info.dtype)) {
    return moduleOf({
      scheme: 'unknown',
      producer: null,
      recipe: { decoder: 'none' },
      roles,
      scaleEncoding: scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype),
      required: [],
      lone: null,
    });
  }
  const encoding = scale === undefined ? 'float' : encodingOfDtype(scale.info.dtype);
  const fp8 = scale === undefined ? null : fp8Layout(weight.info, scale.info, encoding, null);
  return moduleOf({
    scheme: fp8 !== null && fp8.ok ? fp8.value.scheme : 'fp8-tensor',
    producer: null,
    recipe: { decoder: 'fp8' },
    roles,
    scaleEncoding: encoding,
    required: ['scale'],
    lone: null,
  });
}
