import { describe, expect, it } from 'vitest';
import { CompensatedSum } from './compensated-sum';

describe('CompensatedSum', () => {
  it('keeps the small terms a naive float64 sum drops', () => {
    const s = new CompensatedSum();
    let naive = 0;
    s.add(1e16);
    naive += 1e16;
    for (let i = 0; i < 1000; i++) {
      s.add(1);
      naive += 1;
    }
    s.add(-1e16);
    naive -= 1e16;
    expect(s.value).toBe(1000);
    expect(naive).not.toBe(1000);
  });

  it('sums exactly representable values exactly', () => {
    const s = new CompensatedSum();
    for (let i = 1; i <= 100; i++) {
      s.add(i / 8);
    }
    expect(s.value).toBe(5050 / 8);
  });

  it('plus: the total with one more term, the sum itself unchanged', () => {
    const s = new CompensatedSum();
    s.add(1e16);
    s.add(1);
    expect(s.plus(-1e16)).toBe(1);
    expect(s.value).toBe(1e16 + 2 - 1);
    s.add(-1e16);
    expect(s.value).toBe(1);
  });
});
