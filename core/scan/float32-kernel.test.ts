import { describe, expect, it } from 'vitest';
import type { Dtype } from '../dtype/dtype';
import { exponentRange } from './exponent-histogram';
import { float32Layout } from './float32-kernel';

const tensor = (dtype: Dtype) => ({
  name: 't',
  dtype,
  shape: [2],
  offset: 0,
  nbytes: 16,
  elements: 2,
});

describe('float32Layout', () => {
  it('gives F32 one part per element and C64 two, over the binary32 exponent bins', () => {
    expect(float32Layout(tensor('F32'))).toEqual({ range: exponentRange('F32'), partsShift: 0 });
    expect(float32Layout(tensor('C64'))).toEqual({ range: exponentRange('F32'), partsShift: 1 });
  });

  it('refuses every other dtype (a caller bug)', () => {
    for (const d of ['F64', 'BF16', 'F16', 'I32', 'U8'] as const) {
      expect(() => float32Layout(tensor(d))).toThrow(`${d} is not F32 or C64`);
    }
  });
});
