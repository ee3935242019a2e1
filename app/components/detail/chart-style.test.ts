import { describe, expect, it } from 'vitest';
import { formatCompact } from '../table/format';
import { countAxisProps, countYAxisProps, labelInterval, labelXAxisProps } from './chart-style';

describe('labelInterval', () => {
  it('steps by powers of two so hex labels are round', () => {
    expect(labelInterval(256)).toBe(31);
    expect(labelInterval(64)).toBe(7);
    expect(labelInterval(16)).toBe(1);
    expect(labelInterval(9)).toBe(0);
    expect(labelInterval(0)).toBe(0);
  });
});

describe('countAxisProps', () => {
  it('is linear from zero without log scale', () => {
    expect(countAxisProps(500, false)).toEqual({
      scale: 'linear',
      domain: [0, 'auto'],
      ticks: undefined,
      allowDataOverflow: false,
    });
  });
  it('puts a log axis on powers of ten from just below one', () => {
    expect(countAxisProps(1, true).domain).toEqual([0.5, 10]);
    expect(countAxisProps(500, true)).toEqual({
      scale: 'log',
      domain: [0.5, 1000],
      ticks: [1, 10, 100, 1000],
      allowDataOverflow: true,
    });
  });
});

describe('axis props shared by the histograms', () => {
  it('label axis: thinned labels; count axis: the count scale with compact ticks', () => {
    expect(labelXAxisProps(256)).toMatchObject({ dataKey: 'label', interval: 31 });
    const y = countYAxisProps(500, true);
    expect(y).toMatchObject(countAxisProps(500, true));
    expect(y.tickFormatter(1500)).toBe(formatCompact(1500));
  });
});
