import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeGroup } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { ByteCodeKernel } from './byte-code-kernel';
import { createJsKernel } from './create-kernel';
import { kernelFamily } from './kernel-family';
import { scanTinyBytes } from './tiny-byte-scan';

/** A tensor of one element group of `dtype` (one byte for the byte dtypes). */
function oneGroup(dtype: (typeof DTYPES)[number]): TensorInfo {
  const { bytes, elements } = dtypeGroup(dtype);
  return { name: 't', dtype, shape: [elements], offset: 0, nbytes: bytes, elements };
}

describe('kernelFamily', () => {
  it('the tiny byte path takes exactly the dtypes whose JS kernel is the ByteCodeKernel', () => {
    for (const dtype of DTYPES) {
      const t = oneGroup(dtype);
      const byteKernel = createJsKernel(t) instanceof ByteCodeKernel;
      expect(kernelFamily(dtype) === 'byte-code', dtype).toBe(byteKernel);
      expect(scanTinyBytes(t, new Uint8Array(t.nbytes), true) !== null, dtype).toBe(byteKernel);
    }
  });
});
