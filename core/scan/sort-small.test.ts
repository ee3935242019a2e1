import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortSmall } from './sort-small';

describe('sortSmall', () => {
  it('sorts like Array.prototype.sort with a numeric comparator', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 70 }), (list) => {
        const mine = list.slice();
        sortSmall(mine);
        expect(mine).toEqual(list.slice().sort((a, b) => a - b));
      }),
    );
  });
});
