import { assertUnreachable } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import { ByteCodeKernel } from './byte-code-kernel';
import { F6Kernel } from './f6-kernel';
import { Float32Kernel } from './float32-kernel';
import { Float64Kernel } from './float64-kernel';
import { Int32Kernel } from './int32-kernel';
import { Int64Kernel } from './int64-kernel';
import type { ScanKernel } from './scan-kernel';
import { Word16Kernel } from './word16-kernel';

/** The JS scan kernel for a tensor's dtype family. */
export function createKernel(tensor: TensorInfo): ScanKernel {
  const dtype = tensor.dtype;
  switch (dtype) {
    case 'BOOL':
    case 'U8':
    case 'I8':
    case 'F8_E5M2':
    case 'F8_E4M3':
    case 'F8_E8M0':
    case 'F8_E4M3FNUZ':
    case 'F8_E5M2FNUZ':
    case 'F4':
      return new ByteCodeKernel(tensor);
    case 'F6_E2M3':
    case 'F6_E3M2':
      return new F6Kernel(tensor);
    case 'I16':
    case 'U16':
    case 'F16':
    case 'BF16':
      return new Word16Kernel(tensor);
    case 'I32':
    case 'U32':
      return new Int32Kernel(tensor);
    case 'F32':
    case 'C64':
      return new Float32Kernel(tensor);
    case 'F64':
      return new Float64Kernel(tensor);
    case 'I64':
    case 'U64':
      return new Int64Kernel(tensor);
    default:
      return assertUnreachable(dtype);
  }
}
