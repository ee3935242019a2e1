import { describe, expect, it } from 'vitest';
import { appendAll } from './append-all';

describe('appendAll', () => {
  it('appends in order, from arrays and other iterables', () => {
    const out = [1];
    appendAll(out, [2, 3]);
    appendAll(out, new Set([4, 5]));
    expect(out).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes more items than a spread call can (2 million)', () => {
    const many = new Array<number>(2_000_000).fill(7);
    expect(() => {
      const spread: number[] = [];
      spread.push(...many);
    }).toThrow(RangeError);
    const out: number[] = [];
    appendAll(out, many);
    expect(out).toHaveLength(2_000_000);
  });
});
