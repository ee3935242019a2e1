import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeGroup } from '../dtype/dtype';
import { createKernel } from './create-kernel';

describe('createKernel', () => {
  it('has a kernel for every dtype, which reports that dtype', () => {
    for (const dtype of DTYPES) {
      const { bytes, elements } = dtypeGroup(dtype);
      const kernel = createKernel({
        name: 'x',
        dtype,
        shape: [elements],
        offset: 0,
        nbytes: bytes,
        elements,
      });
      kernel.update(new Uint8Array(bytes), 0);
      const stats = kernel.finish();
      expect(stats.dtype, dtype).toBe(dtype);
      expect(stats.elements).toBe(elements);
    }
  });
});
