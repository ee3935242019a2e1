import { assertUnreachable } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { ByteCodeKernel } from './byte-code-kernel';
import { kernelFamily } from './kernel-family';
import { ByteMomentsKernel, isMomentsDtype } from './byte-moments';
import { F6Kernel } from './f6-kernel';
import { Float32Kernel } from './float32-kernel';
import { Float64Kernel } from './float64-kernel';
import { Int32Kernel } from './int32-kernel';
import { Int64Kernel } from './int64-kernel';
import type { ScanKernel } from './scan-kernel';
import { createWasmKernel } from './wasm/create-wasm-kernel';
import { wasmKernelsAvailable } from './wasm/scan-instance';
import { WasmByteMomentsKernel } from './wasm/wasm-byte-moments-kernel';
import { WasmF4MomentsKernel } from './wasm/wasm-f4-moments-kernel';
import { Word16Kernel } from './word16-kernel';

/**
 * Tensors smaller than this are scanned in JS unless a caller asks for WASM: a WASM kernel clears
 * and folds 512 KiB of count tables per tensor (~30 us), more than it saves on a small 8-bit one.
 * Measured in Node 20: at 64 KiB WASM is already ahead for BF16, F32 and FP8.
 */
export const WASM_MIN_TENSOR_BYTES = 64 * 1024;

export interface KernelOptions {
  /**
   * true: the WASM SIMD kernel for dtypes that have one (F16, BF16, I16, U16, F32, C64, 8-bit
   * dtypes, F4), when this runtime has WebAssembly SIMD; false: the JS kernel (the reference).
   * Unset: the default set by `setWasmKernelsByDefault` (on), for tensors of at least
   * WASM_MIN_TENSOR_BYTES. Both give deep-equal stats; WASM is several times faster.
   */
  readonly wasm?: boolean;
  /**
   * false: the tensor's stats may come without a histogram when that is faster (U8 and I8: SIMD
   * counts and exact moments; F4 likewise, in WASM only; the JS F32 / C64 kernel: no frozen
   * exponent histogram, which was most of the cost of a scalar scale; the JS byte kernel: no
   * copy of its counts; `histogram: null`, every other field the same). Default true.
   */
  readonly histogram?: boolean;
}

let wasmByDefault = true;

/**
 * Turns the WASM kernels on or off for every scan that does not choose (tests, benchmarks, an
 * opt-out flag of the CLI or app). Returns the previous setting.
 */
export function setWasmKernelsByDefault(enabled: boolean): boolean {
  const previous = wasmByDefault;
  wasmByDefault = enabled;
  return previous;
}

/** The scan kernel for a tensor: WASM SIMD where available and wanted (see KernelOptions), else JS. */
export function createKernel(tensor: TensorInfo, options: KernelOptions = {}): ScanKernel {
  const wasm = options.wasm ?? (wasmByDefault && tensor.nbytes >= WASM_MIN_TENSOR_BYTES);
  if (options.histogram === false && isMomentsDtype(tensor.dtype)) {
    return wasm && wasmKernelsAvailable()
      ? new WasmByteMomentsKernel(tensor)
      : new ByteMomentsKernel(tensor);
  }
  // F4 in JS keeps ByteCodeKernel: counting bytes is faster there than decoding nibbles.
  if (options.histogram === false && tensor.dtype === 'F4' && wasm && wasmKernelsAvailable()) {
    return new WasmF4MomentsKernel(tensor);
  }
  return (wasm ? createWasmKernel(tensor) : null) ?? createJsKernel(tensor, options.histogram);
}

/** The JS scan kernel for a tensor's dtype family: the reference every WASM kernel must equal. */
export function createJsKernel(tensor: TensorInfo, histogram = true): ScanKernel {
  const family = kernelFamily(tensor.dtype);
  switch (family) {
    case 'byte-code':
      return new ByteCodeKernel(tensor, histogram);
    case 'f6':
      return new F6Kernel(tensor);
    case 'word16':
      return new Word16Kernel(tensor);
    case 'int32':
      return new Int32Kernel(tensor);
    case 'float32':
      return new Float32Kernel(tensor, histogram);
    case 'float64':
      return new Float64Kernel(tensor);
    case 'int64':
      return new Int64Kernel(tensor);
    default:
      return assertUnreachable(family);
  }
}
