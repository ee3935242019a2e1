import { describe, expect, it } from 'vitest';
import type { CodeHistogram, ExponentHistogram } from './histogram-data';
import {
  codeBars,
  exponentBars,
  exponentRange,
  exponentSpecials,
  logTicks,
  maxMagnitudeText,
  plotCount,
  specialCodes,
} from './histogram-data';

describe('codeBars', () => {
  it('makes a bar per FP8 code with hex labels, values and marks', () => {
    const counts = Array.from({ length: 256 }, () => 0);
    counts[0x38] = 10;
    counts[0x7f] = 2;
    counts[0xfe] = 3;
    const histogram: CodeHistogram = { kind: 'codes', bits: 8, counts };
    const bars = codeBars(histogram, 'F8_E4M3');
    expect(bars).toHaveLength(256);
    expect(bars[0x38]).toEqual({
      code: 0x38,
      label: '0x38',
      value: 1,
      valueText: '1',
      count: 10,
      mark: 'plain',
    });
    expect(bars[0x7f]).toMatchObject({ label: '0x7F', valueText: 'NaN', count: 2, mark: 'nan' });
    expect(bars[0xfe]).toMatchObject({ valueText: '-448', count: 3, mark: 'max' });
    expect(specialCodes(bars, 'nan').map((b) => b.code)).toEqual([0x7f, 0xff]);
    expect(specialCodes(bars, 'max').map((b) => b.count)).toEqual([0, 3]);
    expect(maxMagnitudeText(specialCodes(bars, 'max'))).toBe('±448');
  });
  it('uses one hex digit for F4', () => {
    const histogram: CodeHistogram = {
      kind: 'codes',
      bits: 4,
      counts: Array.from({ length: 16 }, () => 1),
    };
    const bars = codeBars(histogram, 'F4');
    expect(bars.map((b) => b.label).slice(6, 9)).toEqual(['0x6', '0x7', '0x8']);
    expect(bars[7]).toMatchObject({ valueText: '6', mark: 'max' });
    expect(bars[8]).toMatchObject({ valueText: '-0', mark: 'plain' });
  });
  it('marks E5M2 Inf codes', () => {
    const histogram: CodeHistogram = {
      kind: 'codes',
      bits: 8,
      counts: Array.from({ length: 256 }, () => 0),
    };
    expect(codeBars(histogram, 'F8_E5M2')[0xfc]).toMatchObject({ valueText: '-Inf', mark: 'inf' });
  });
});

describe('maxMagnitudeText', () => {
  it('shows one value for unsigned and one-sided maxima', () => {
    const counts = Array.from({ length: 256 }, () => 0);
    const u8 = codeBars({ kind: 'codes', bits: 8, counts }, 'U8');
    expect(maxMagnitudeText(specialCodes(u8, 'max'))).toBe('255');
    const i8 = codeBars({ kind: 'codes', bits: 8, counts }, 'I8');
    expect(maxMagnitudeText(specialCodes(i8, 'max'))).toBe('-128');
    expect(maxMagnitudeText([])).toBe('');
  });
});

describe('exponentBars and exponentSpecials', () => {
  const histogram: ExponentHistogram = {
    kind: 'exponent',
    minExponent: -10,
    positive: [0, 0, 5, 0, 7, 0],
    negative: [0, 0, 0, 0, 1, 2, 0, 0],
    zero: 3,
    nan: 1,
    posInf: 0,
    negInf: 4,
  };
  it('keeps the occupied exponent range, inner gaps included', () => {
    const bars = exponentBars(histogram);
    expect(bars.map((b) => b.label)).toEqual(['2^-8', '2^-7', '2^-6', '2^-5']);
    expect(bars[0]).toEqual({ label: '2^-8', exponent: -8, positive: 5, negative: 0 });
    expect(bars[1]).toEqual({ label: '2^-7', exponent: -7, positive: 0, negative: 0 });
    expect(bars[3]).toEqual({ label: '2^-5', exponent: -5, positive: 0, negative: 2 });
  });
  it('is empty when there are no finite non-zero values', () => {
    expect(exponentBars({ ...histogram, positive: [0, 0], negative: [] })).toEqual([]);
  });
  it('lists zero, NaN and Inf counts', () => {
    expect(exponentSpecials(histogram).map((s) => [s.label, s.count])).toEqual([
      ['Zero', 3],
      ['NaN', 1],
      ['+Inf', 0],
      ['-Inf', 4],
    ]);
  });
  it('describes bin ranges', () => {
    expect(exponentRange(-1)).toBe('[0.5, 1)');
    expect(exponentRange(3)).toBe('[8, 16)');
  });
});

describe('plotCount and logTicks', () => {
  it('drops empty bars on a log axis only', () => {
    expect(plotCount(0, false)).toBe(0);
    expect(plotCount(0, true)).toBeNull();
    expect(plotCount(5, true)).toBe(5);
  });
  it('covers the largest count with powers of ten', () => {
    expect(logTicks(0)).toEqual([1, 10]);
    expect(logTicks(1)).toEqual([1, 10]);
    expect(logTicks(11)).toEqual([1, 10, 100]);
    expect(logTicks(1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(Infinity)).toHaveLength(17);
  });
});
