import { describe, expect, it } from 'vitest';
import { isTiny, scaleLimits } from './scale-limits';

describe('scaleLimits', () => {
  it('judges E4M3 / E8M0 scales by their role, wide floats by their dtype', () => {
    const e4m3 = scaleLimits('e4m3', 'U8');
    expect(e4m3.largest).toBe(448);
    expect(isTiny(2 ** -9, e4m3)).toBe(true);
    expect(isTiny(2 ** -8, e4m3)).toBe(false);
    expect(isTiny(0, e4m3)).toBe(false);
    const e8m0 = scaleLimits('e8m0', 'U8');
    expect(e8m0.largest).toBe(2 ** 127);
    expect(isTiny(2 ** -127, e8m0)).toBe(true);
    expect(isTiny(2 ** -126, e8m0)).toBe(false);
    const f32 = scaleLimits('float', 'F32');
    expect(isTiny(1e-39, f32)).toBe(true);
    expect(isTiny(1e-30, f32)).toBe(false);
    expect(scaleLimits('float', 'U8')).toEqual({
      largest: Infinity,
      tinyAtOrBelow: 0,
      tinyBelow: 0,
    });
  });
});
