import { describe, expect, it } from 'vitest';
import {
  CountTable,
  IncrementBudget,
  MAX_PENDING_INCREMENTS,
  POOL_DEPTH,
  POOLED_MAX_BINS,
} from './count-table';

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

describe('CountTable.pooled', () => {
  it('reuses a released table, cleared, for the next table of its size', () => {
    const a = CountTable.pooled(8);
    a.reserve(3);
    a.bins[1] = 2;
    a.bins[7] = 1;
    const bins = a.bins;
    a.release();
    const b = CountTable.pooled(8);
    expect(b.bins).toBe(bins);
    expect(Array.from(b.bins)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(CountTable.pooled(8).bins).not.toBe(bins); // b still holds it
    b.release();
  });

  it('clears only the bins a caller says it touched', () => {
    const a = CountTable.pooled(6);
    a.reserve(2);
    a.bins[0] = 1;
    a.bins[2] = 1;
    a.release(3);
    const b = CountTable.pooled(6);
    expect(Array.from(b.bins)).toEqual([0, 0, 0, 0, 0, 0]);
    b.release(0);
  });

  it('gives a table back once, never a table it does not own, and keeps at most POOL_DEPTH', () => {
    const own = new Uint32Array(5);
    new CountTable(5, own).release();
    expect(CountTable.pooled(5).bins).not.toBe(own);
    const a = CountTable.pooled(5);
    a.release();
    a.release();
    const b = CountTable.pooled(5);
    const c = CountTable.pooled(5);
    expect(b.bins).not.toBe(c.bins);
    const many = Array.from({ length: POOL_DEPTH + 2 }, () => CountTable.pooled(9));
    const kept = new Set(many.map((t) => t.bins));
    for (const t of many) {
      t.release();
    }
    const again = Array.from({ length: POOL_DEPTH + 2 }, () => CountTable.pooled(9));
    expect(again.filter((t) => kept.has(t.bins))).toHaveLength(POOL_DEPTH);
  });

  it('does not pool tables larger than POOLED_MAX_BINS', () => {
    const big = CountTable.pooled(POOLED_MAX_BINS + 1);
    const bins = big.bins;
    big.release();
    expect(CountTable.pooled(POOLED_MAX_BINS + 1).bins).not.toBe(bins);
  });
});

describe('CountTable.foldInto', () => {
  it('sums interleaved sub-tables below `used`, spilled counts included', () => {
    const t = new CountTable(6);
    t.reserve(0xffffffff);
    t.bins[4] = 0xffffffff;
    t.reserve(4);
    t.bins[0] = 1;
    t.bins[2] = 1;
    t.bins[4] += 2;
    expect(Array.from(t.foldInto(new Float64Array(2)))).toEqual([2 ** 32 + 3, 0]);
    expect(Array.from(t.foldInto(new Float64Array(2), 4))).toEqual([2, 0]);
    expect(Array.from(t.foldInto(new Float64Array(6)))).toEqual([1, 0, 1, 0, 2 ** 32 + 1, 0]);
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
