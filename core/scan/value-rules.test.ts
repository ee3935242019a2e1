import { describe, expect, it } from 'vitest';
import { isSaturated, valueRules } from './value-rules';

describe('valueRules', () => {
  it('saturates floats at the largest finite magnitude, either sign', () => {
    const r = valueRules('F8_E4M3');
    expect(r.floatLike).toBe(true);
    expect([448, -448, 447, Infinity].map((v) => isSaturated(v, r))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('saturates integers at the type minimum or maximum (the maximum only for unsigned)', () => {
    const i8 = valueRules('I8');
    expect(i8.floatLike).toBe(false);
    expect([-128, 127, 0, -127].map((v) => isSaturated(v, i8))).toEqual([true, true, false, false]);
    const u8 = valueRules('U8');
    expect([0, 255, 1].map((v) => isSaturated(v, u8))).toEqual([false, true, false]);
  });

  it('never saturates BOOL', () => {
    const b = valueRules('BOOL');
    expect([0, 1].map((v) => isSaturated(v, b))).toEqual([false, false]);
  });

  it('gives one shared rules object per dtype', () => {
    expect(valueRules('F32')).toBe(valueRules('F32'));
    expect(valueRules('I8')).not.toBe(valueRules('U8'));
    expect(valueRules('I8').saturation).toEqual({ kind: 'range', min: -128, max: 127 });
  });
});
