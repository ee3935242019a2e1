import { describe, expect, it } from 'vitest';
import { CountTable } from './count-table';

describe('CountTable', () => {
  it('counts in Uint32 bins and reports doubles', () => {
    const t = new CountTable(4);
    t.reserve(3);
    t.bins[1] += 2;
    t.bins[3] += 1;
    expect(Array.from(t.totals())).toEqual([0, 2, 0, 1]);
    expect(t.get(1)).toBe(2);
  });

  it('spills before a bin could pass 2^32 - 1, keeping totals exact', () => {
    const t = new CountTable(2);
    t.reserve(0xfffffff0);
    t.bins[0] += 0xfffffff0;
    t.reserve(0x20); // would overflow: the bins are spilled first
    t.bins[0] += 0x20;
    expect(t.get(0)).toBe(0xfffffff0 + 0x20);
    expect(t.totals()[0]).toBe(2 ** 32 + 0x10);
    expect(t.bins[0]).toBe(0x20);
  });

  it('counts into a given array (a view of WASM memory) and checks its size', () => {
    const backing = new Uint32Array(6);
    const t = new CountTable(4, backing.subarray(2));
    t.reserve(1);
    t.bins[0]++;
    expect(backing[2]).toBe(1);
    expect(() => new CountTable(3, backing)).toThrow(/3 bins got 6/);
  });

  it('refuses a single reservation larger than a bin can hold', () => {
    expect(() => new CountTable(1).reserve(2 ** 32)).toThrow(RangeError);
  });
});

describe('CountTable.nonZero', () => {
  it('folds interleaved sub-tables and lists non-zero codes in order', () => {
    const t = new CountTable(8);
    t.reserve(6);
    t.bins[1] = 2;
    t.bins[4 + 1] = 3;
    t.bins[4 + 3] = 1;
    expect(t.nonZero(4)).toEqual({ codes: [1, 3], counts: [5, 1] });
    const one = new CountTable(4);
    one.reserve(1);
    one.bins[2] = 1;
    expect(one.nonZero(4)).toEqual({ codes: [2], counts: [1] });
  });

  it('includes spilled counts', () => {
    const t = new CountTable(2);
    t.reserve(0xffffffff);
    t.bins[1] = 0xffffffff;
    t.reserve(1);
    t.bins[1] += 1;
    expect(t.nonZero(2)).toEqual({ codes: [1], counts: [2 ** 32] });
  });
});
