import { describe, expect, it } from 'vitest';
import { decodeByRole, elementBytes } from './decode-values';

describe('decodeByRole', () => {
  it('reads U8 bytes as E4M3 or E8M0 by role, and other dtypes as themselves', () => {
    const bytes = Uint8Array.from([0x38, 0x7e, 0x7f, 0x00]);
    expect(Array.from(decodeByRole(bytes, 'U8', 'e4m3', 4))).toEqual([1, 448, NaN, 0]);
    expect(
      Array.from(decodeByRole(Uint8Array.from([0x7f, 0x80, 0xff, 0x00]), 'U8', 'e8m0', 4)),
    ).toEqual([1, 2, NaN, 2 ** -127]);
    expect(Array.from(decodeByRole(bytes, 'U8', 'float', 2))).toEqual([0x38, 0x7e]);
    expect(
      Array.from(decodeByRole(new Uint8Array(Float32Array.of(0.5).buffer), 'F32', 'float', 1)),
    ).toEqual([0.5]);
  });
  it('knows element widths and refuses sub-byte dtypes', () => {
    expect(elementBytes('F16')).toBe(2);
    expect(() => elementBytes('F4')).toThrow();
  });
});
