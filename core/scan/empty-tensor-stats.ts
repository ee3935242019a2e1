import type { Dtype } from '../dtype/dtype';
import type { TensorInfo } from '../format/tensor-info';
import type { KernelOptions } from './create-kernel';
import { createKernel } from './create-kernel';
import type { TensorStats } from './tensor-stats';

/**
 * The stats of a zero-byte tensor depend on its dtype (and whether a histogram was asked for) and
 * its name only: a checkpoint of a million zero-size tensors spent most of its scan creating
 * kernels and exponent histograms (an F32 kernel allocates ~2 KB of tables) to report nothing.
 * This runs the kernel once per dtype and histogram choice and gives each tensor a copy with its
 * own name, so the output is exactly what the kernel says.
 */
export class EmptyTensorStats {
  private readonly byKey = new Map<string, TensorStats>();

  constructor(private readonly options: KernelOptions) {}

  /** Stats of `tensor` (which must hold no bytes). */
  of(tensor: TensorInfo, histogram: boolean): TensorStats {
    const key = `${tensor.dtype satisfies Dtype}:${histogram}`;
    let template = this.byKey.get(key);
    if (template === undefined) {
      template = createKernel(tensor, { ...this.options, histogram }).finish();
      if (!histogram && template.histogram !== null) {
        template = { ...template, histogram: null }; // as scanTensors does for the others
      }
      this.byKey.set(key, template);
    }
    return template.name === tensor.name ? template : { ...template, name: tensor.name };
  }
}
