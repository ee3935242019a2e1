import type { Dtype } from '../../dtype/dtype';
import type { TensorInfo } from '../../format/tensor-info';

/** A TensorInfo for shape checks (offsets and sizes do not matter to the layouts). */
export function info(name: string, dtype: Dtype, shape: number[]): TensorInfo {
  const elements = shape.reduce((a, b) => a * b, 1);
  return { name, dtype, shape, offset: 0, nbytes: elements, elements };
}
