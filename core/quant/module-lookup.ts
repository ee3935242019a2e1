import type { QuantModule } from './quant-types';

/**
 * Finds the quantized module a tensor belongs to, by file and tensor name, in constant time: the
 * page asks for it on every selection, and a large MoE checkpoint has ~50,000 modules.
 */
export class ModuleLookup {
  private readonly byTensor = new Map<string, number>();

  constructor(modules: readonly QuantModule[]) {
    modules.forEach((m, index) => {
      for (const ref of Object.values(m.tensors)) {
        if (ref === undefined) {
          continue;
        }
        const key = tensorKey(ref.file, ref.info.name);
        // A tensor claimed by two modules belongs to the first, as a linear search would find.
        if (!this.byTensor.has(key)) {
          this.byTensor.set(key, index);
        }
      }
    });
  }

  /** The index in `modules` of the module holding `tensor` of `file`, or null. */
  indexOf(file: string, tensor: string): number | null {
    return this.byTensor.get(tensorKey(file, tensor)) ?? null;
  }
}

function tensorKey(file: string, tensor: string): string {
  return `${file}\u0000${tensor}`;
}
