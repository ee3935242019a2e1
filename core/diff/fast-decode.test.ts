import { describe, expect, it } from 'vitest';
import { decodeToFloat64 } from '../dtype/decode-value';
import type { Dtype } from '../dtype/dtype';
import { lcgBytes } from '../testing/lcg-bytes';
import { decodeFloats } from './fast-decode';

describe('decodeFloats', () => {
  const cases: [Dtype, number][] = [
    ['BF16', 2],
    ['F16', 2],
    ['F32', 4],
    ['F64', 8],
    ['F8_E4M3', 1],
    ['I32', 4],
  ];
  for (const [dtype, width] of cases) {
    it(`${dtype}: the same values as core's decoder, aligned or not`, () => {
      const count = 4099;
      const raw = lcgBytes(count * width + 1, 7);
      for (const offset of [0, 1]) {
        const bytes = raw.subarray(offset, offset + count * width);
        const out = new Float64Array(count);
        decodeFloats(dtype, bytes, count, out);
        const expected = decodeToFloat64(dtype, bytes, count);
        // Object.is: NaN equals NaN, and -0 must stay -0.
        for (let i = 0; i < count; i++) {
          if (!Object.is(out[i], expected[i])) {
            expect([i, out[i]]).toEqual([i, expected[i]]);
          }
        }
      }
    });
  }

  it('BF16: every one of the 65,536 codes as core decodes it', () => {
    const words = Uint16Array.from({ length: 65536 }, (_, c) => c);
    const bytes = new Uint8Array(words.buffer);
    const out = new Float64Array(65536);
    decodeFloats('BF16', bytes, 65536, out);
    const expected = decodeToFloat64('BF16', bytes, 65536);
    for (let c = 0; c < 65536; c++) {
      if (!Object.is(out[c], expected[c])) {
        expect([c, out[c]]).toEqual([c, expected[c]]);
      }
    }
  });
});
