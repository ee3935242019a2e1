import { assertUnreachable } from '../dtype/dtype';
import type { IeeeLayout } from './replacement';
import { E4M3_MAX_MAGNITUDE, E4M3_SIGN_BIT } from './replacement';

/**
 * The one home of the repair's decisions: what a bad value becomes, by the role of its tensor and
 * the class of its block. Everything else in `core/repair` (policy parsing, planning, notes)
 * imports these; this module imports only bit layouts, so no import cycle can form through it.
 */

/** What an FP8 E4M3 NaN byte (0x7F or 0xFF) becomes. */
export type Fp8Replacement =
  | { readonly kind: 'max' }
  | { readonly kind: 'zero' }
  | { readonly kind: 'byte'; readonly value: number };

/** What a NaN or ±Inf element of a BF16/F16/F32 tensor becomes (always lossy). */
export type FloatReplacement = 'zero' | 'max';

/**
 * What a patched tensor holds, which decides whether the sign of a bad value means anything.
 * Stable strings (manifest `summary.tensors[].role`):
 * - `fp4-block-scale`: an F8_E4M3 NVFP4 block scale whose packed FP4 weight was found (classified);
 * - `fp8-scale`: any other F8_E4M3 scale (by name, or a U8 tensor the quantization analysis gave
 *   an FP8 role), not classified;
 * - `mx-block-scale`: an E8M0 block scale (MXFP4/MXFP8, gpt-oss), classified when its weight is found;
 * - `fp8-weight`: F8_E4M3 values (FP8 weights), where the sign carries meaning;
 * - `float-scale`: a BF16/F16/F32 scale (AWQ/GPTQ `scales`, FP8 `weight_scale`, global scales);
 * - `float-value`: any other BF16/F16/F32 tensor (weights, norms, embeddings).
 */
export type RepairRole =
  'fp4-block-scale' | 'fp8-scale' | 'mx-block-scale' | 'fp8-weight' | 'float-scale' | 'float-value';

export const REPAIR_ROLES: readonly RepairRole[] = [
  'fp4-block-scale',
  'fp8-scale',
  'mx-block-scale',
  'fp8-weight',
  'float-scale',
  'float-value',
];

/**
 * A block or tensor scale is positive by construction (amax / something positive): the sign bit
 * of a NaN scale byte is noise, and keeping it would flip every weight the scale multiplies.
 * Values (FP8 weights, BF16 weights) keep their sign.
 */
export function isScaleRole(role: RepairRole): boolean {
  switch (role) {
    case 'fp4-block-scale':
    case 'fp8-scale':
    case 'mx-block-scale':
    case 'float-scale':
      return true;
    case 'fp8-weight':
    case 'float-value':
      return false;
    default:
      return assertUnreachable(role);
  }
}

/**
 * The class of a patched block scale, read from the block's codes as they are on disk. Stable
 * strings (manifest `patches[].class`):
 * - `neutral`: every code is ±0, so any finite scale dequantizes the block to 0: the patch changes
 *   no weight;
 * - `clamped`: the codes vary, so the exporter computed them with a finite scale that the cast to
 *   the scale's format lost; the patched scale dequantizes the block smaller than the original;
 * - `destroyed`: every code is the same saturated code (ModelOpt divides the weights by the NaN
 *   scale and its FP4 cast turns each NaN into +6, bytes 0x77): the block's weights are gone.
 */
export type RepairClass = 'neutral' | 'clamped' | 'destroyed';

export const REPAIR_CLASSES: readonly RepairClass[] = ['neutral', 'clamped', 'destroyed'];

/**
 * The older two-way label every patch still carries (manifest `patches[].classification`):
 * neutral changes no value, lossy does; null when not classified.
 */
export type PatchClassification = 'neutral' | 'lossy' | null;

/** The older label of a patch: a block's class folded to neutral/lossy; float patches are lossy. */
export function classificationOf(role: RepairRole, cls: RepairClass | null): PatchClassification {
  if (cls !== null) {
    return cls === 'neutral' ? 'neutral' : 'lossy';
  }
  return role === 'float-scale' || role === 'float-value' ? 'lossy' : null;
}

/** The byte an F8_E4M3 NaN code of a tensor with `role` becomes under `rule`. */
export function fp8Replacement(old: number, rule: Fp8Replacement, role: RepairRole): number {
  const sign = isScaleRole(role) ? 0 : old & E4M3_SIGN_BIT;
  switch (rule.kind) {
    case 'max':
      return sign | E4M3_MAX_MAGNITUDE;
    case 'zero':
      return sign;
    case 'byte':
      return rule.value;
    default:
      return assertUnreachable(rule);
  }
}

/**
 * The bits a NaN/Inf element becomes: zero or the largest finite value, with the element's sign
 * for values and positive for scales.
 */
export function floatReplacement(
  bits: number,
  layout: IeeeLayout,
  rule: FloatReplacement,
  role: RepairRole,
): number {
  const sign = isScaleRole(role) ? 0 : (bits & layout.signMask) >>> 0;
  switch (rule) {
    case 'zero':
      return sign;
    case 'max':
      return (sign | layout.maxFinite) >>> 0;
    default:
      return assertUnreachable(rule);
  }
}

/**
 * The scale byte of a destroyed block, whatever the policy: the block's codes are all the saturated
 * +6 that a division by NaN wrote, so no scale recovers its weights; the largest scale would make
 * it a constant of 6·448·global (relative error 2.3 on a real ModelOpt export), the zero scale
 * makes it contribute nothing. F8_E4M3 0x00 is +0. E8M0 has no zero: 0x00 = 2^-127 is its
 * smallest value (what ModelOpt itself writes for a NaN weight in MX formats), ~1e-38 times the
 * codes, zero in every dtype a runtime computes in.
 */
export const DESTROYED_SCALE_BYTE = 0x00;

/**
 * The patch a block scale of class `cls` gets: destroyed blocks the zero scale, others the byte the
 * policy gave (`planned`). Unclassified patches (`cls` null) keep `planned`.
 */
export function bytePatchForClass(planned: number, cls: RepairClass | null): number {
  return cls === 'destroyed' ? DESTROYED_SCALE_BYTE : planned;
}

/**
 * The last name segment of a scale: `weight_scale`, `weight_scale_2`, `input_scale`,
 * `weight_scale_inv`, `weight_global_scale`, `pre_quant_scale`, `k_scale`, `scales` (AWQ/GPTQ),
 * `gate_up_proj_scales` (gpt-oss), `scale` (DeepSeek-V4, torchao `:scale`). `scale_shift_table`
 * (diffusion models, signed values) does not match.
 */
const SCALE_SEGMENT = /^(?:.*_)?scales?(?:_2|_inv)?$/;
/** bitsandbytes per-block and per-row absolute maxima: scales too (positive by construction). */
const ABSMAX_SEGMENTS: ReadonlySet<string> = new Set(['absmax', 'nested_absmax', 'SCB']);

/** Whether a tensor's name says it holds scales (its last `.` or `:` segment). */
export function isScaleName(name: string): boolean {
  const segment = name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf(':')) + 1);
  return SCALE_SEGMENT.test(segment) || ABSMAX_SEGMENTS.has(segment);
}
