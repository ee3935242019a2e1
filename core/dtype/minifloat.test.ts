import { describe, expect, it } from 'vitest';
import type { MinifloatFormat } from './minifloat';
import { buildMinifloatTable, decodeMinifloat } from './minifloat';

/** A 1-2-1 toy format small enough to write out by hand: bias 1. */
const toy = (specials: MinifloatFormat['specials']): MinifloatFormat => ({
  exponentBits: 2,
  mantissaBits: 1,
  bias: 1,
  specials,
});

describe('decodeMinifloat', () => {
  it('spends special codes as each variant says', () => {
    // codes 0..7 positive: 0, 0.5, 1, 1.5, 2, 3, then E=3: 4, 6 when finite
    expect(Array.from(buildMinifloatTable(toy('finite')).subarray(0, 8))).toEqual([
      0, 0.5, 1, 1.5, 2, 3, 4, 6,
    ]);
    const ieee = buildMinifloatTable(toy('ieee'));
    expect(ieee[6]).toBe(Infinity);
    expect(ieee[14]).toBe(-Infinity);
    expect(ieee[7]).toBeNaN();
    const fn = buildMinifloatTable(toy('fn'));
    expect(fn[6]).toBe(4);
    expect(fn[7]).toBeNaN();
    expect(fn[15]).toBeNaN();
    const fnuz = buildMinifloatTable(toy('fnuz'));
    expect(fnuz[8]).toBeNaN();
    expect(fnuz[7]).toBe(6);
    expect(fnuz[15]).toBe(-6);
  });

  it('keeps the sign of zero except where -0 is NaN', () => {
    expect(Object.is(decodeMinifloat(8, toy('finite')), -0)).toBe(true);
    expect(decodeMinifloat(8, toy('fnuz'))).toBeNaN();
  });
});
