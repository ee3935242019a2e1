import type { TensorInfo } from '../format/tensor-info';
import type { TensorStats } from './tensor-stats';
import { scanTinyBytes } from './tiny-byte-scan';
import { scanTinyFloat32 } from './tiny-float32-scan';

/**
 * The stats of a tiny tensor that arrived whole (`bytes`: all of its bytes), computed without a
 * kernel object: deep-equal to what its JS kernel gives (byte dtypes under TINY_BYTE_SCAN_BYTES,
 * F32 / C64 of at most NARROW_F32_PARTS parts). A MoE layer of 100,000 NVFP4 experts holds
 * 400,000 such tensors, and a kernel each (its cursor, pooled table, tracker and closures) was
 * a good part of its scan. Null for any other tensor: scan it with `createKernel`.
 */
export function scanTinyTensor(
  tensor: TensorInfo,
  bytes: Uint8Array,
  withHistogram: boolean,
): TensorStats | null {
  return (
    scanTinyBytes(tensor, bytes, withHistogram) ?? scanTinyFloat32(tensor, bytes, withHistogram)
  );
}
