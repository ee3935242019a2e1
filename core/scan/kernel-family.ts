import { assertUnreachable } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';

/** The JS scan kernel that reads a dtype (create-kernel.ts `createJsKernel`). */
export type KernelFamily =
  'byte-code' | 'f6' | 'word16' | 'int32' | 'float32' | 'float64' | 'int64';

/**
 * Which JS kernel family scans `dtype`: the one place that says so, for `createJsKernel` and for
 * the tiny-tensor paths that must give what that kernel gives (tiny-byte-scan.ts).
 */
export function kernelFamily(dtype: Dtype): KernelFamily {
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
      return 'byte-code';
    case 'F6_E2M3':
    case 'F6_E3M2':
      return 'f6';
    case 'I16':
    case 'U16':
    case 'F16':
    case 'BF16':
      return 'word16';
    case 'I32':
    case 'U32':
      return 'int32';
    case 'F32':
    case 'C64':
      return 'float32';
    case 'F64':
      return 'float64';
    case 'I64':
    case 'U64':
      return 'int64';
    default:
      return assertUnreachable(dtype);
  }
}
