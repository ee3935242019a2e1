import { describe, expect, it } from 'vitest';
import { decodeF4, F4_TABLE, f4CodeAt } from './fp4';

/** OCP MX E2M1, literally (formats.md §2). */
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

describe('F4 (E2M1)', () => {
  it('decodes all 16 codes', () => {
    expect(F4_TABLE.length).toBe(16);
    for (let c = 0; c < 16; c++) {
      expect(Object.is(decodeF4(c), E2M1[c]), `code ${c}`).toBe(true);
      expect(Object.is(F4_TABLE[c], E2M1[c]), `table ${c}`).toBe(true);
    }
  });

  it('reads element 2k from the low nibble and 2k+1 from the high nibble', () => {
    const bytes = new Uint8Array([0x71, 0xf8]);
    expect([0, 1, 2, 3].map((i) => f4CodeAt(bytes, i))).toEqual([0x1, 0x7, 0x8, 0xf]);
  });
});
