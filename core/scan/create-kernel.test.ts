import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeGroup } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import {
  createJsKernel,
  createKernel,
  setWasmKernelsByDefault,
  WASM_MIN_TENSOR_BYTES,
} from './create-kernel';
import { hasWasmKernel } from './wasm/create-wasm-kernel';

function tensor(dtype: Dtype, nbytes: number): TensorInfo {
  const { bytes, elements } = dtypeGroup(dtype);
  const n = (nbytes / bytes) * elements;
  return { name: 'x', dtype, shape: [n], offset: 0, nbytes, elements: n };
}

describe('createKernel', () => {
  it('has a kernel for every dtype, which reports that dtype', () => {
    for (const dtype of DTYPES) {
      for (const wasm of [false, true]) {
        const { bytes } = dtypeGroup(dtype);
        const kernel = createKernel(tensor(dtype, bytes), { wasm });
        kernel.update(new Uint8Array(bytes), 0);
        const stats = kernel.finish();
        expect(stats.dtype, dtype).toBe(dtype);
        expect(stats.elements).toBe(dtypeGroup(dtype).elements);
      }
    }
  });

  it('picks WASM when asked (for dtypes that have a WASM kernel) and JS when not', () => {
    for (const dtype of DTYPES) {
      const t = tensor(dtype, dtypeGroup(dtype).bytes);
      const asked = createKernel(t, { wasm: true }).constructor.name;
      expect(asked.startsWith('Wasm'), dtype).toBe(hasWasmKernel(dtype));
      expect(createKernel(t, { wasm: false }).constructor.name).toBe(
        createJsKernel(t).constructor.name,
      );
    }
    expect(hasWasmKernel('BF16')).toBe(true);
    expect(hasWasmKernel('F64')).toBe(false);
  });

  it('by default uses WASM for tensors of at least WASM_MIN_TENSOR_BYTES, unless turned off', () => {
    const small = tensor('BF16', WASM_MIN_TENSOR_BYTES - 2);
    const large = tensor('BF16', WASM_MIN_TENSOR_BYTES);
    expect(createKernel(small).constructor.name).toBe('Word16Kernel');
    expect(createKernel(large).constructor.name).toBe('WasmWord16Kernel');
    const previous = setWasmKernelsByDefault(false);
    try {
      expect(previous).toBe(true);
      expect(createKernel(large).constructor.name).toBe('Word16Kernel');
      expect(createKernel(small, { wasm: true }).constructor.name).toBe('WasmWord16Kernel');
    } finally {
      setWasmKernelsByDefault(previous);
    }
  });
});
