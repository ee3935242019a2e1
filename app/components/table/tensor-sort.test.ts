import { describe, expect, it } from 'vitest';
import {
  compareDtypes,
  compareNames,
  compareShapes,
  naturalKey,
  sortRows,
  statValue,
} from './tensor-sort';
import { makeRow } from './test-rows';

describe('statValue', () => {
  it('is undefined for unscanned tensors', () => {
    const row = makeRow('a', { stats: null });
    expect(statValue(row, 'nan')).toBeUndefined();
    expect(statValue(row, 'max')).toBeUndefined();
  });
  it('reads the scan counts, Inf as both signs', () => {
    const row = makeRow('a', {
      stats: { nan: 2, posInf: 3, negInf: 4, saturated: 5, zero: 6, min: -1, max: null },
    });
    expect(statValue(row, 'nan')).toBe(2);
    expect(statValue(row, 'inf')).toBe(7);
    expect(statValue(row, 'saturated')).toBe(5);
    expect(statValue(row, 'zero')).toBe(6);
    expect(statValue(row, 'min')).toBe(-1);
    expect(statValue(row, 'max')).toBeUndefined();
  });
});

describe('compareNames', () => {
  it('orders digit runs numerically', () => {
    const names = ['layers.10.w', 'layers.2.w', 'layers.1.w', 'embed', 'layers.2.b'];
    const infos = names.map((n) => makeRow(n).info);
    expect(infos.sort(compareNames).map((i) => i.name)).toEqual([
      'embed',
      'layers.1.w',
      'layers.2.b',
      'layers.2.w',
      'layers.10.w',
    ]);
  });
  it('breaks ties between equal keys on the raw name', () => {
    expect(naturalKey('a01')).toBe(naturalKey('a1'));
    expect(compareNames(makeRow('a01').info, makeRow('a1').info)).toBeLessThan(0);
    expect(compareNames(makeRow('x').info, makeRow('x').info)).toBe(0);
  });
});

describe('compareDtypes and compareShapes', () => {
  it('orders dtypes canonically', () => {
    expect(compareDtypes('F8_E4M3', 'F32')).toBeLessThan(0);
    expect(compareDtypes('BF16', 'BF16')).toBe(0);
  });
  it('orders shapes by elements, rank, then dims', () => {
    const info = (shape: number[]): ReturnType<typeof makeRow>['info'] =>
      makeRow('t', { shape }).info;
    expect(compareShapes(info([2, 3]), info([7]))).toBeLessThan(0);
    expect(compareShapes(info([6]), info([2, 3]))).toBeLessThan(0);
    expect(compareShapes(info([2, 3]), info([3, 2]))).toBeLessThan(0);
    expect(compareShapes(info([]), info([1]))).toBeLessThan(0);
    expect(compareShapes(info([4, 4]), info([4, 4]))).toBe(0);
  });
});

describe('sortRows', () => {
  const rows = [
    makeRow('b', { nbytes: 30, stats: { nan: 2 } }),
    makeRow('a', { nbytes: 10, stats: null }),
    makeRow('c', { nbytes: 20, stats: { nan: 0 } }),
    makeRow('d', { nbytes: 20, stats: { nan: 5 } }),
  ];
  const names = (list: readonly { info: { name: string } }[]): string =>
    list.map((r) => r.info.name).join('');

  it('returns the input when unsorted or the column is unknown', () => {
    expect(sortRows(rows, [])).toBe(rows);
    expect(sortRows(rows, [{ id: 'bogus', desc: false }])).toBe(rows);
  });
  it('sorts by name and numbers in either direction, stably', () => {
    expect(names(sortRows(rows, [{ id: 'name', desc: false }]))).toBe('abcd');
    expect(names(sortRows(rows, [{ id: 'name', desc: true }]))).toBe('dcba');
    expect(names(sortRows(rows, [{ id: 'size', desc: false }]))).toBe('acdb');
    expect(names(sortRows(rows, [{ id: 'size', desc: true }]))).toBe('bcda');
  });
  it('puts unscanned tensors last in both directions', () => {
    expect(names(sortRows(rows, [{ id: 'nan', desc: true }]))).toBe('dbca');
    expect(names(sortRows(rows, [{ id: 'nan', desc: false }]))).toBe('cbda');
  });
  it('does not modify the input', () => {
    sortRows(rows, [{ id: 'name', desc: false }]);
    expect(names(rows)).toBe('bacd');
  });
});
