import { describe, expect, it } from 'vitest';
import { ceilDiv, product, sameShape, shapeText, squeeze } from './shape-util';

describe('shape-util', () => {
  it('multiplies dimensions, 1 for a scalar', () => {
    expect(product([])).toBe(1);
    expect(product([2, 3, 4])).toBe(24);
  });
  it('compares shapes exactly', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2], [2, 1])).toBe(false);
  });
  it('rounds divisions up, prints and squeezes shapes', () => {
    expect(ceilDiv(300, 128)).toBe(3);
    expect(ceilDiv(256, 128)).toBe(2);
    expect(shapeText([2048, 32])).toBe('[2048, 32]');
    expect(squeeze([256, 1])).toEqual([256]);
    expect(squeeze([1])).toEqual([]);
  });
});
