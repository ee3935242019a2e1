import { describe, expect, it } from 'vitest';
import { BF16_LARGEST_FINITE, F16_LARGEST_FINITE, F32_LARGEST_FINITE } from '../dtype/dtype-limits';
import { decodeF8E4M3 } from '../dtype/fp8';
import { decodeBF16, decodeF16 } from '../dtype/half';
import type { RepairRole } from './repair-decisions';
import {
  bytePatchForClass,
  classificationOf,
  DESTROYED_SCALE_BYTE,
  floatReplacement,
  fp8Replacement,
  isScaleName,
  isScaleRole,
  REPAIR_ROLES,
} from './repair-decisions';
import { BF16_LAYOUT, F16_LAYOUT, F32_LAYOUT } from './replacement';

function f32OfBits(bits: number): number {
  return new Float32Array(Uint32Array.of(bits).buffer)[0];
}

describe('FP8 replacement by role', () => {
  it('a scale NaN becomes +448 whatever its sign bit; a weight NaN keeps its sign', () => {
    for (const role of ['fp4-block-scale', 'fp8-scale'] as const) {
      expect(fp8Replacement(0x7f, { kind: 'max' }, role)).toBe(0x7e);
      expect(fp8Replacement(0xff, { kind: 'max' }, role)).toBe(0x7e);
      expect(decodeF8E4M3(fp8Replacement(0xff, { kind: 'max' }, role))).toBe(448);
      expect(fp8Replacement(0xff, { kind: 'zero' }, role)).toBe(0x00);
      expect(Object.is(decodeF8E4M3(fp8Replacement(0xff, { kind: 'zero' }, role)), 0)).toBe(true);
    }
    expect(fp8Replacement(0x7f, { kind: 'max' }, 'fp8-weight')).toBe(0x7e);
    expect(fp8Replacement(0xff, { kind: 'max' }, 'fp8-weight')).toBe(0xfe);
    expect(decodeF8E4M3(fp8Replacement(0xff, { kind: 'max' }, 'fp8-weight'))).toBe(-448);
    expect(Object.is(decodeF8E4M3(fp8Replacement(0xff, { kind: 'zero' }, 'fp8-weight')), -0)).toBe(
      true,
    );
    // An explicit byte is that byte, for every role.
    for (const role of REPAIR_ROLES) {
      expect(fp8Replacement(0xff, { kind: 'byte', value: 0x38 }, role)).toBe(0x38);
    }
  });
});

describe('float replacement by role', () => {
  it('values keep the sign; scales become positive', () => {
    expect(decodeF16(floatReplacement(0xfc00, F16_LAYOUT, 'max', 'float-value'))).toBe(
      -F16_LARGEST_FINITE,
    );
    expect(decodeF16(floatReplacement(0xfc00, F16_LAYOUT, 'max', 'float-scale'))).toBe(
      F16_LARGEST_FINITE,
    );
    expect(decodeF16(floatReplacement(0xfe00, F16_LAYOUT, 'zero', 'float-scale'))).toBe(0);
    expect(f32OfBits(floatReplacement(0xffc00000, F32_LAYOUT, 'max', 'float-value'))).toBe(
      -F32_LARGEST_FINITE,
    );
    expect(floatReplacement(0xffc00000, F32_LAYOUT, 'max', 'float-value')).toBeGreaterThan(0);
    expect(f32OfBits(floatReplacement(0xffc00000, F32_LAYOUT, 'max', 'float-scale'))).toBe(
      F32_LARGEST_FINITE,
    );
    expect(
      Object.is(f32OfBits(floatReplacement(0xff800000, F32_LAYOUT, 'zero', 'float-value')), -0),
    ).toBe(true);
    expect(floatReplacement(0x7fc0, BF16_LAYOUT, 'zero', 'float-value')).toBe(0);
    expect(decodeBF16(floatReplacement(0xff80, BF16_LAYOUT, 'max', 'float-scale'))).toBe(
      BF16_LARGEST_FINITE,
    );
  });
});

describe('class decisions', () => {
  it('destroyed blocks get the zero scale, other classes the planned byte', () => {
    expect(DESTROYED_SCALE_BYTE).toBe(0x00);
    expect(decodeF8E4M3(DESTROYED_SCALE_BYTE)).toBe(0);
    expect(bytePatchForClass(0x7e, 'destroyed')).toBe(0x00);
    expect(bytePatchForClass(0x7e, 'clamped')).toBe(0x7e);
    expect(bytePatchForClass(0x7e, 'neutral')).toBe(0x7e);
    expect(bytePatchForClass(0x7e, null)).toBe(0x7e);
  });

  it('folds classes into the older neutral/lossy label', () => {
    expect(classificationOf('fp4-block-scale', 'neutral')).toBe('neutral');
    expect(classificationOf('fp4-block-scale', 'clamped')).toBe('lossy');
    expect(classificationOf('mx-block-scale', 'destroyed')).toBe('lossy');
    expect(classificationOf('fp8-scale', null)).toBeNull();
    expect(classificationOf('fp8-weight', null)).toBeNull();
    expect(classificationOf('float-value', null)).toBe('lossy');
    expect(classificationOf('float-scale', null)).toBe('lossy');
  });
});

describe('roles', () => {
  it('scales by name: quantization scales and absmax, not scale_shift_table or weights', () => {
    const scales = [
      'model.layers.0.mlp.down_proj.weight_scale',
      'model.layers.0.mlp.down_proj.weight_scale_2',
      'model.layers.0.mlp.down_proj.input_scale',
      'model.layers.0.mlp.down_proj.weight_scale_inv',
      'model.layers.0.mlp.down_proj.weight_global_scale',
      'model.layers.0.mlp.down_proj.pre_quant_scale',
      'model.layers.0.self_attn.k_proj.k_scale',
      'model.layers.0.mlp.down_proj.scales',
      'model.layers.0.mlp.experts.gate_up_proj_scales',
      '0.weight:scale',
      'model.layers.0.mlp.down_proj.weight.absmax',
      'model.layers.0.mlp.down_proj.SCB',
    ];
    const values = [
      'model.layers.0.mlp.down_proj.weight',
      'blocks.0.scale_shift_table',
      'model.norm.weight',
      'model.layers.0.mlp.down_proj.qzeros',
      'model.layers.0.mlp.experts.gate_up_proj_blocks',
    ];
    expect(scales.filter((n) => !isScaleName(n))).toEqual([]);
    expect(values.filter((n) => isScaleName(n))).toEqual([]);
  });

  it('every role is a scale or a value, exhaustively', () => {
    const scaleRoles: RepairRole[] = REPAIR_ROLES.filter(isScaleRole);
    expect(scaleRoles).toEqual(['fp4-block-scale', 'fp8-scale', 'mx-block-scale', 'float-scale']);
  });
});
