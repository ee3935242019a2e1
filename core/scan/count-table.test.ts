import { describe, expect, it } from 'vitest';
import { CountTable, IncrementBudget, MAX_PENDING_INCREMENTS } from './count-table';

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

describe('IncrementBudget', () => {
  it('drains before the increments since the last drain would pass the limit', () => {
    const budget = new IncrementBudget(10);
    const drains: number[] = [];
    let counted = 0;
    for (const n of [4, 6, 1, 9, 10, 0, 3]) {
      budget.reserve(n, () => drains.push(counted));
      counted += n;
    }
    // 4+6 = 10 fits; +1 drains; 1+9 fits; +10 drains; 10+0 fits; +3 drains.
    expect(drains).toEqual([10, 20, 30]);
  });

  it('refuses one chunk of more increments than a u32 bin can take, naming it', () => {
    const budget = new IncrementBudget();
    expect(() => budget.reserve(MAX_PENDING_INCREMENTS + 1, () => undefined)).toThrow(
      /a chunk of 4294967296 elements is too large/,
    );
    expect(() => budget.reserve(2 ** 33, () => undefined, '8 GiB')).toThrow(/a chunk of 8 GiB/);
  });

  it('caps a larger limit at what a u32 bin holds', () => {
    const budget = new IncrementBudget(2 ** 40);
    let drained = 0;
    budget.reserve(MAX_PENDING_INCREMENTS, () => drained++);
    budget.reserve(1, () => drained++);
    expect(drained).toBe(1);
  });
});
