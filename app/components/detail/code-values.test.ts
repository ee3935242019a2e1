import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../../core/dtype/dtype';
import type { CodeMark } from './code-values';
import { decodeCode, markCode } from './code-values';

function codesMarked(dtype: Dtype, codes: number, mark: CodeMark): number[] {
  return Array.from({ length: codes }, (_, c) => c).filter((c) => markCode(dtype, c) === mark);
}

describe('decodeCode', () => {
  it('decodes FP8 E4M3 codes', () => {
    expect(decodeCode('F8_E4M3', 0x38)).toBe(1);
    expect(decodeCode('F8_E4M3', 0x7e)).toBe(448);
    expect(decodeCode('F8_E4M3', 0xfe)).toBe(-448);
    expect(decodeCode('F8_E4M3', 0x01)).toBe(2 ** -9);
    expect(decodeCode('F8_E4M3', 0x7f)).toBeNaN();
  });
  it('decodes the other 8-bit, F6 and F4 dtypes', () => {
    expect(decodeCode('F8_E5M2', 0x7c)).toBe(Infinity);
    expect(decodeCode('F8_E8M0', 0x7f)).toBe(1);
    expect(decodeCode('F8_E4M3FNUZ', 0x80)).toBeNaN();
    expect(decodeCode('F4', 7)).toBe(6);
    expect(decodeCode('F4', 0xd)).toBe(-3);
    expect(decodeCode('F6_E2M3', 0x1f)).toBe(7.5);
    expect(decodeCode('F6_E3M2', 0x3f)).toBe(-28);
    expect(decodeCode('I8', 0xff)).toBe(-1);
    expect(decodeCode('U8', 0xff)).toBe(255);
  });
});

describe('markCode', () => {
  it('marks E4M3 NaN and ±448 codes', () => {
    expect(codesMarked('F8_E4M3', 256, 'nan')).toEqual([0x7f, 0xff]);
    expect(codesMarked('F8_E4M3', 256, 'max')).toEqual([0x7e, 0xfe]);
    expect(codesMarked('F8_E4M3', 256, 'inf')).toEqual([]);
  });
  it('marks E5M2 Inf, NaN and max codes', () => {
    expect(codesMarked('F8_E5M2', 256, 'inf')).toEqual([0x7c, 0xfc]);
    expect(codesMarked('F8_E5M2', 256, 'nan')).toEqual([0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]);
    expect(codesMarked('F8_E5M2', 256, 'max')).toEqual([0x7b, 0xfb]);
  });
  it('marks FNUZ and E8M0 specials', () => {
    expect(codesMarked('F8_E4M3FNUZ', 256, 'nan')).toEqual([0x80]);
    expect(codesMarked('F8_E4M3FNUZ', 256, 'max')).toEqual([0x7f, 0xff]);
    expect(codesMarked('F8_E5M2FNUZ', 256, 'nan')).toEqual([0x80]);
    expect(codesMarked('F8_E8M0', 256, 'nan')).toEqual([0xff]);
    expect(codesMarked('F8_E8M0', 256, 'max')).toEqual([0xfe]);
  });
  it('marks only the largest magnitudes of FP4/FP6 and integers', () => {
    expect(codesMarked('F4', 16, 'max')).toEqual([7, 15]);
    expect(codesMarked('F4', 16, 'nan')).toEqual([]);
    expect(codesMarked('F6_E2M3', 64, 'max')).toEqual([0x1f, 0x3f]);
    expect(codesMarked('U8', 256, 'max')).toEqual([0xff]);
    expect(codesMarked('I8', 256, 'max')).toEqual([0x80]);
    expect(codesMarked('BOOL', 256, 'max')).toEqual([]);
  });
});
