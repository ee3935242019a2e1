import { describe, expect, it } from 'vitest';
import { SparseBitSet } from './sparse-bitset';

describe('SparseBitSet', () => {
  it('counts distinct members across pages', () => {
    const set = new SparseBitSet();
    expect(set.add(0)).toBe(true);
    expect(set.add(0)).toBe(false);
    expect(set.add(31)).toBe(true);
    expect(set.add(32)).toBe(true);
    expect(set.add(4096 * 1000 + 7)).toBe(true);
    expect(set.add(2 ** 40)).toBe(true);
    expect(set.add(2 ** 40)).toBe(false);
    expect(set.size).toBe(5);
  });
});
