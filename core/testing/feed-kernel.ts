import { dtypeGroup } from '../dtype/dtype';
import type { Dtype } from '../dtype/dtype';
import type { ScanKernel } from '../scan/scan-kernel';
import type { TensorStats } from '../scan/tensor-stats';

/**
 * Feeds `data` to `kernel` in chunks of the given element-group counts (the rest in one chunk),
 * from a copy shifted by `misalign` bytes, and finishes it: how tests prove that results do not
 * depend on chunk boundaries or alignment.
 */
export function feedInCuts(
  kernel: ScanKernel,
  dtype: Dtype,
  data: Uint8Array,
  cuts: readonly number[],
  misalign = 0,
): TensorStats {
  const { bytes: groupBytes, elements: groupElements } = dtypeGroup(dtype);
  const backing = new Uint8Array(data.length + misalign);
  backing.set(data, misalign);
  const shifted = backing.subarray(misalign);
  let at = 0;
  for (const cut of [...cuts, Infinity]) {
    const end = Math.min(data.length, at + Math.min(cut, data.length) * groupBytes);
    kernel.update(shifted.subarray(at, end), (at / groupBytes) * groupElements);
    at = end;
  }
  return kernel.finish();
}
