import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameBytes } from './bytes-equal';

/** The byte-by-byte comparison sameBytes must agree with. */
function byByte(x: Uint8Array, y: Uint8Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if (x[k] !== y[k]) {
      return false;
    }
  }
  return true;
}

describe('sameBytes', () => {
  it('agrees with a byte-by-byte comparison, aligned or not, wherever a difference sits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.nat(), { nil: null }),
        (bytes, xShift, yShift, flip) => {
          const x = new Uint8Array(bytes.length + xShift).subarray(xShift);
          const y = new Uint8Array(bytes.length + yShift).subarray(yShift);
          x.set(bytes);
          y.set(bytes);
          if (flip !== null && bytes.length > 0) {
            y[flip % bytes.length] ^= 1 << (flip % 8);
          }
          expect(sameBytes(x, y, bytes.length)).toBe(byByte(x, y, bytes.length));
        },
      ),
    );
  });

  it('compares only the first n bytes', () => {
    expect(sameBytes(Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(1, 2, 3, 4, 6), 4)).toBe(true);
    expect(sameBytes(Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(1, 2, 3, 4, 6), 5)).toBe(false);
  });
});
