import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../format/tensor-info';
import { createKernel } from './create-kernel';

describe('the JS F32 / C64 kernel without a histogram', () => {
  it('gives every field the histogram scan gives, and histogram null', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0, 1e-45, -3.4e38, 448);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float(), special), { minLength: 0, maxLength: 64 }),
        fc.constantFrom('F32' as const, 'C64' as const),
        (values, dtype) => {
          const even = dtype === 'C64' ? values.slice(0, values.length & ~1) : values;
          const elements = dtype === 'C64' ? even.length / 2 : even.length;
          const tensor: TensorInfo = {
            name: 't',
            dtype,
            shape: [elements],
            offset: 0,
            nbytes: even.length * 4,
            elements,
          };
          const bytes = new Uint8Array(Float32Array.from(even).buffer);
          const run = (histogram: boolean) => {
            const k = createKernel(tensor, { wasm: false, histogram });
            k.update(bytes, 0);
            return k.finish();
          };
          const full = run(true);
          expect(run(false)).toEqual({ ...full, histogram: null });
          expect(full.histogram).not.toBeNull();
        },
      ),
    );
  });
});
