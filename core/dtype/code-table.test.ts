import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeBits } from './dtype';
import { BOOL_TABLE, codeTable, I8_TABLE, U8_TABLE } from './code-table';

describe('codeTable', () => {
  it('exists exactly for dtypes of at most 8 bits, sized 2^bits', () => {
    for (const d of DTYPES) {
      const table = codeTable(d);
      if (dtypeBits(d) <= 8) {
        expect(table?.length, d).toBe(2 ** dtypeBits(d));
      } else {
        expect(table, d).toBeNull();
      }
    }
  });

  it('decodes the integer and bool bytes', () => {
    expect([I8_TABLE[0], I8_TABLE[1], I8_TABLE[0x7f], I8_TABLE[0x80], I8_TABLE[0xff]]).toEqual([
      0, 1, 127, -128, -1,
    ]);
    expect([U8_TABLE[0], U8_TABLE[0x80], U8_TABLE[0xff]]).toEqual([0, 128, 255]);
    expect([BOOL_TABLE[0], BOOL_TABLE[1], BOOL_TABLE[2], BOOL_TABLE[0xff]]).toEqual([0, 1, 1, 1]);
  });
});
