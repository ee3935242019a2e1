import type { Dtype } from '../../dtype/dtype';
import type { TensorInfo } from '../../format/tensor-info';
import type { ScanKernel } from '../scan-kernel';
import { wasmKernelsAvailable } from './scan-instance';
import { WasmByteKernel } from './wasm-byte-kernel';
import { WasmFloat32Kernel } from './wasm-float32-kernel';
import { WasmWord16Kernel } from './wasm-word16-kernel';

/** The WASM kernel family of each dtype that has one; the others are scanned in JS only. */
const WASM_FAMILY: Partial<Record<Dtype, 'word16' | 'byte' | 'float32'>> = {
  F16: 'word16',
  BF16: 'word16',
  I16: 'word16',
  U16: 'word16',
  F32: 'float32',
  C64: 'float32',
  BOOL: 'byte',
  U8: 'byte',
  I8: 'byte',
  F8_E5M2: 'byte',
  F8_E4M3: 'byte',
  F8_E8M0: 'byte',
  F8_E4M3FNUZ: 'byte',
  F8_E5M2FNUZ: 'byte',
  F4: 'byte',
};

/** Whether `dtype` has a WASM kernel (F6, F64 and 32/64-bit integers do not). */
export function hasWasmKernel(dtype: Dtype): boolean {
  return WASM_FAMILY[dtype] !== undefined;
}

/** The WASM SIMD kernel for the tensor's dtype, or null (no such kernel, or no WASM SIMD here). */
export function createWasmKernel(tensor: TensorInfo): ScanKernel | null {
  const family = WASM_FAMILY[tensor.dtype];
  if (family === undefined || !wasmKernelsAvailable()) {
    return null;
  }
  switch (family) {
    case 'word16':
      return new WasmWord16Kernel(tensor);
    case 'byte':
      return new WasmByteKernel(tensor);
    case 'float32':
      return new WasmFloat32Kernel(tensor);
  }
}
