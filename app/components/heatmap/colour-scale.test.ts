import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { colourLevel, HEAT_LEVELS, makeColourScale } from './colour-scale';

describe('makeColourScale', () => {
  it('spans the known values', () => {
    expect(makeColourScale([3, null, 0, 10])).toEqual({ min: 0, max: 10 });
  });

  it('is 0..0 when nothing is known', () => {
    expect(makeColourScale([null, null])).toEqual({ min: 0, max: 0 });
    expect(makeColourScale([])).toEqual({ min: 0, max: 0 });
  });
});

describe('colourLevel', () => {
  const scale = { min: 0, max: 1_000_000 };

  it('keeps level 0 for an exact zero and shows any non-zero value', () => {
    expect(colourLevel(0, scale)).toBe(0);
    expect(colourLevel(1, scale)).toBeGreaterThanOrEqual(1);
    expect(colourLevel(1_000_000, scale)).toBe(HEAT_LEVELS - 1);
  });

  it('is logarithmic: 1000 sits half-way to 10^6', () => {
    expect(colourLevel(1000, scale)).toBe(5);
    expect(colourLevel(10, scale)).toBe(2);
  });

  it('uses the top level when every value is the same', () => {
    expect(colourLevel(448, { min: 448, max: 448 })).toBe(HEAT_LEVELS - 1);
  });

  it('stays in range and never decreases', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const la = colourLevel(lo, scale);
          const lb = colourLevel(hi, scale);
          return la >= 0 && lb <= HEAT_LEVELS - 1 && la <= lb;
        },
      ),
    );
  });
});
