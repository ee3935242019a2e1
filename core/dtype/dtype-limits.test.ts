import { describe, expect, it } from 'vitest';
import { DTYPES } from './dtype';
import { dtypeLimits } from './dtype-limits';

describe('dtypeLimits', () => {
  it('has the documented largest finite magnitudes', () => {
    const largest = Object.fromEntries(DTYPES.map((d) => [d, dtypeLimits(d).largestFinite]));
    expect(largest).toMatchObject({
      F4: 6,
      F6_E2M3: 7.5,
      F6_E3M2: 28,
      F8_E4M3: 448,
      F8_E5M2: 57344,
      F8_E4M3FNUZ: 240,
      F8_E5M2FNUZ: 57344,
      F8_E8M0: 1.7014118346046923e38,
      F16: 65504,
      BF16: 3.3895313892515355e38,
      F32: 3.4028234663852886e38,
      C64: 3.4028234663852886e38,
      F64: Number.MAX_VALUE,
    });
  });

  it('has the documented smallest subnormals and normals', () => {
    const cases: [string, number, number][] = [
      ['F4', 0.5, 1],
      ['F6_E2M3', 0.125, 1],
      ['F6_E3M2', 0.0625, 0.25],
      ['F8_E4M3', 0.001953125, 0.015625],
      ['F8_E5M2', 1.52587890625e-5, 6.103515625e-5],
      ['F8_E4M3FNUZ', 0.0009765625, 0.0078125],
      ['F8_E5M2FNUZ', 7.62939453125e-6, 3.0517578125e-5],
      ['F8_E8M0', 5.877471754111438e-39, 5.877471754111438e-39],
      ['F16', 5.960464477539063e-8, 6.103515625e-5],
      ['F32', 1.401298464324817e-45, 1.1754943508222875e-38],
      ['F64', Number.MIN_VALUE, 2.2250738585072014e-308],
    ];
    for (const [dtype, subnormal, normal] of cases) {
      const limits = dtypeLimits(dtype as (typeof DTYPES)[number]);
      expect(limits.smallestSubnormal, dtype).toBe(subnormal);
      expect(limits.smallestNormal, dtype).toBe(normal);
      expect(limits.intMin).toBeNull();
    }
  });

  it('gives integer ranges', () => {
    expect(dtypeLimits('I8')).toMatchObject({ intMin: -128, intMax: 127 });
    expect(dtypeLimits('U16')).toMatchObject({ intMin: 0, intMax: 65535 });
    expect(dtypeLimits('I32')).toMatchObject({ intMin: -2147483648, intMax: 2147483647 });
    expect(dtypeLimits('U32')).toMatchObject({ intMin: 0, intMax: 4294967295 });
    expect(dtypeLimits('BOOL')).toMatchObject({ intMin: 0, intMax: 1 });
    expect(dtypeLimits('I64').intMin).toBe(-9223372036854775808);
  });
});
