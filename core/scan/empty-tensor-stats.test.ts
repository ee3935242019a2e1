import { describe, expect, it } from 'vitest';
import { DTYPES } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { memorySource } from '../io/byte-source';
import { createKernel } from './create-kernel';
import { scanTensors } from './scan-tensor';

describe('zero-byte tensors', () => {
  it('get exactly what their own kernel gives, for every dtype, with and without histograms', async () => {
    const tensors: TensorInfo[] = DTYPES.flatMap((dtype) =>
      [[0], [3, 0], [0, 0, 5]].map((shape, k) => ({
        name: `${dtype}.${k}`,
        dtype,
        shape,
        offset: 0,
        nbytes: 0,
        elements: 0,
      })),
    );
    for (const histogram of [true, false]) {
      const got = await scanTensors(memorySource('f', new Uint8Array(0)), tensors, {
        histograms: () => histogram,
      });
      const expected = tensors.map((t) => {
        const s = createKernel(t, { histogram }).finish();
        return histogram || s.histogram === null ? s : { ...s, histogram: null };
      });
      expect(got).toEqual(expected);
    }
  });
});
