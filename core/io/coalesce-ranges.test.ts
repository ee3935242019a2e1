import { describe, expect, it } from 'vitest';
import { coalesceRanges, spanHolding } from './coalesce-ranges';

describe('coalesceRanges', () => {
  it('merges ranges whose gap is at most the threshold, in offset order', () => {
    const spans = coalesceRanges(
      [
        { offset: 100, length: 10 },
        { offset: 0, length: 10 },
        { offset: 15, length: 5 },
        { offset: 50, length: 0 },
      ],
      5,
    );
    expect(spans).toEqual([
      { start: 0, end: 20 },
      { start: 100, end: 110 },
    ]);
  });

  it('keeps overlapping and contained ranges in one span', () => {
    expect(
      coalesceRanges(
        [
          { offset: 0, length: 100 },
          { offset: 10, length: 5 },
          { offset: 90, length: 20 },
        ],
        0,
      ),
    ).toEqual([{ start: 0, end: 110 }]);
  });

  it('finds the span holding a range, or null', () => {
    const spans = [
      { start: 0, end: 20 },
      { start: 100, end: 110 },
    ];
    expect(spanHolding(spans, 5, 10)).toEqual({ start: 0, end: 20 });
    expect(spanHolding(spans, 100, 10)).toEqual({ start: 100, end: 110 });
    expect(spanHolding(spans, 15, 10)).toBeNull();
    expect(spanHolding(spans, 50, 1)).toBeNull();
    expect(spanHolding([], 0, 1)).toBeNull();
  });
});
