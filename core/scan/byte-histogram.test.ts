import { describe, expect, it } from 'vitest';
import { BYTE_SUBTABLES, countBytes, foldByteBins } from './byte-histogram';

describe('countBytes', () => {
  it('counts every byte at any offset and length', () => {
    const backing = new Uint8Array(64).map((_, i) => (i * 37) % 256);
    for (let offset = 0; offset < 5; offset++) {
      for (const length of [0, 1, 3, 4, 7, 33]) {
        const chunk = backing.subarray(offset, offset + length);
        const bins = new Uint32Array(BYTE_SUBTABLES * 256);
        countBytes(chunk, bins);
        const expected = new Float64Array(256);
        for (const b of chunk) {
          expected[b]++;
        }
        expect(foldByteBins(Float64Array.from(bins)), `${offset}+${length}`).toEqual(expected);
      }
    }
  });
});
