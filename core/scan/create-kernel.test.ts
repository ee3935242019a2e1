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

  it('without a histogram: moments kernels for U8, I8 (JS and WASM) and F4 (WASM only)', () => {
    const name = (dtype: Dtype, wasm: boolean): string =>
      createKernel(tensor(dtype, 16), { wasm, histogram: false }).constructor.name;
    expect([name('U8', true), name('I8', false)]).toEqual([
      'WasmByteMomentsKernel',
      'ByteMomentsKernel',
    ]);
    // Packed FP4 weights: moments4 in WASM; in JS byte counting is the faster of the two.
    expect([name('F4', true), name('F4', false)]).toEqual([
      'WasmF4MomentsKernel',
      'ByteCodeKernel',
    ]);
    expect(name('F8_E4M3', true)).toBe('WasmByteKernel');
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
