import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import type { IeeeLayout } from './replacement';
import { BF16_LAYOUT, F16_LAYOUT, F32_LAYOUT } from './replacement';
import type { FloatReplacement, Fp8Replacement, RepairRole } from './repair-decisions';
import { isScaleName } from './repair-decisions';
import type { RepairPolicy } from './repair-policy';

/**
 * What a U8 tensor really holds, when known from elsewhere (quantization analysis): many exporters
 * store FP8 scales as raw `U8` bytes. A role makes the repair treat that tensor as the named dtype.
 */
export type TensorRole = 'f8_e4m3' | 'f8_e8m0';

/**
 * How one tensor's elements are judged and replaced; `treatedAs` is the dtype whose NaN rules
 * apply, `role` whether the sign of a bad value is kept (values) or not (scales).
 */
export type ElementRule =
  | {
      readonly kind: 'fp8';
      readonly treatedAs: 'F8_E4M3';
      readonly role: RepairRole;
      readonly rule: Fp8Replacement;
    }
  | {
      readonly kind: 'e8m0';
      readonly treatedAs: 'F8_E8M0';
      readonly role: RepairRole;
      readonly byte: number;
    }
  | {
      readonly kind: 'float';
      readonly treatedAs: 'F16' | 'BF16' | 'F32';
      readonly role: RepairRole;
      readonly layout: IeeeLayout;
      readonly rule: FloatReplacement;
    };

/** Bytes per element under a rule (FP8 and E8M0 are one byte each). */
export function ruleElementBytes(rule: ElementRule): number {
  return rule.kind === 'float' ? rule.layout.bytes : 1;
}

/**
 * The rule for a tensor under `policy`, or null when the policy leaves it alone: F8_E4M3 always;
 * F8_E8M0 when `policy.e8m0` is set; F16/BF16/F32 when `policy.float` is set; a U8 tensor when
 * `roles` names it (roles on other dtypes are ignored). Everything else is never touched. The role
 * comes from the name (isScaleName) or, for U8 tensors, from `roles` (always scales); a plan
 * refines `fp8-scale` to `fp4-block-scale` once it finds the scale's packed weight.
 */
export function elementRuleOf(
  tensor: TensorInfo,
  policy: RepairPolicy,
  roles: ReadonlyMap<string, TensorRole> | undefined,
): ElementRule | null {
  const role = tensor.dtype === 'U8' ? roles?.get(tensor.name) : undefined;
  const treatedAs: Dtype =
    role === 'f8_e4m3' ? 'F8_E4M3' : role === 'f8_e8m0' ? 'F8_E8M0' : tensor.dtype;
  const scale = role !== undefined || isScaleName(tensor.name);
  switch (treatedAs) {
    case 'F8_E4M3':
      return { kind: 'fp8', treatedAs, role: scale ? 'fp8-scale' : 'fp8-weight', rule: policy.fp8 };
    case 'F8_E8M0':
      return policy.e8m0 === null
        ? null
        : { kind: 'e8m0', treatedAs, role: 'mx-block-scale', byte: policy.e8m0.byte };
    case 'F16':
      return floatRule(treatedAs, F16_LAYOUT, policy.float, scale);
    case 'BF16':
      return floatRule(treatedAs, BF16_LAYOUT, policy.float, scale);
    case 'F32':
      return floatRule(treatedAs, F32_LAYOUT, policy.float, scale);
    default:
      return null;
  }
}

function floatRule(
  treatedAs: 'F16' | 'BF16' | 'F32',
  layout: IeeeLayout,
  rule: FloatReplacement | null,
  scale: boolean,
): ElementRule | null {
  return rule === null
    ? null
    : { kind: 'float', treatedAs, role: scale ? 'float-scale' : 'float-value', layout, rule };
}
