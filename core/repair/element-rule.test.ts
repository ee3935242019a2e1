import { describe, expect, it } from 'vitest';
import { DTYPES } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import type { TensorRole } from './element-rule';
import { elementRuleOf, ruleElementBytes } from './element-rule';
import { DEFAULT_REPAIR_POLICY, parsePolicy } from './repair-policy';

function tensor(name: string, dtype: Dtype): TensorInfo {
  return { name, dtype, shape: [4], offset: 8, nbytes: 4, elements: 4 };
}

const ALL = parsePolicy('max,e8m0:127,float-zero');

describe('elementRuleOf', () => {
  it('by default touches F8_E4M3 only', () => {
    const touched = DTYPES.filter(
      (d) => elementRuleOf(tensor('t', d), DEFAULT_REPAIR_POLICY, undefined) !== null,
    );
    expect(touched).toEqual(['F8_E4M3']);
  });

  it('with e8m0 and float rules adds F8_E8M0, F16, BF16 and F32, nothing else', () => {
    if (!ALL.ok) {
      throw new Error(ALL.error);
    }
    const touched = DTYPES.filter(
      (d) => elementRuleOf(tensor('t', d), ALL.value, undefined) !== null,
    );
    expect(touched).toEqual(['F8_E4M3', 'F8_E8M0', 'F16', 'BF16', 'F32']);
    const widths = touched.map((d) => {
      const rule = elementRuleOf(tensor('t', d), ALL.value, undefined);
      return rule === null ? 0 : ruleElementBytes(rule);
    });
    expect(widths).toEqual([1, 1, 2, 2, 4]);
  });

  it('roles turn named U8 tensors into FP8 scales and are ignored on other dtypes', () => {
    const roles = new Map<string, TensorRole>([
      ['a', 'f8_e4m3'],
      ['b', 'f8_e8m0'],
      ['c', 'f8_e4m3'],
    ]);
    expect(elementRuleOf(tensor('a', 'U8'), DEFAULT_REPAIR_POLICY, roles)).toMatchObject({
      kind: 'fp8',
      treatedAs: 'F8_E4M3',
      role: 'fp8-scale',
    });
    // E8M0 role without an e8m0 rule: left alone.
    expect(elementRuleOf(tensor('b', 'U8'), DEFAULT_REPAIR_POLICY, roles)).toBeNull();
    if (ALL.ok) {
      expect(elementRuleOf(tensor('b', 'U8'), ALL.value, roles)).toEqual({
        kind: 'e8m0',
        treatedAs: 'F8_E8M0',
        role: 'mx-block-scale',
        byte: 127,
      });
    }
    expect(elementRuleOf(tensor('c', 'I8'), DEFAULT_REPAIR_POLICY, roles)).toBeNull();
    expect(elementRuleOf(tensor('z', 'U8'), DEFAULT_REPAIR_POLICY, roles)).toBeNull();
  });

  it('gives each tensor its role: scales by name or U8 role, values otherwise', () => {
    if (!ALL.ok) {
      throw new Error(ALL.error);
    }
    const role = (name: string, dtype: Dtype): string | null =>
      elementRuleOf(tensor(name, dtype), ALL.value, undefined)?.role ?? null;
    expect(role('m.weight_scale', 'F8_E4M3')).toBe('fp8-scale');
    expect(role('m.weight', 'F8_E4M3')).toBe('fp8-weight');
    expect(role('m.scales', 'F16')).toBe('float-scale');
    expect(role('m.weight_scale', 'F32')).toBe('float-scale');
    expect(role('m.weight', 'BF16')).toBe('float-value');
    expect(role('m.experts.down_proj_scales', 'F8_E8M0')).toBe('mx-block-scale');
  });
});
