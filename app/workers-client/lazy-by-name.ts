import type { PackedHeader } from '../../core/format/packed-tensors';
import { fillByName } from '../../core/format/packed-tensors';
import type { TensorInfo } from '../../core/format/tensor-info';

/**
 * A header's `byName`, built on first use. The page rarely looks a tensor up by name in a header
 * (the repair's patch table does), while building the map of a million-tensor header when it
 * arrived cost the page ~0.7 s of main-thread time, a long task when the map grew, and ~60 MB.
 */
export class LazyByName implements ReadonlyMap<string, TensorInfo> {
  private built: Map<string, TensorInfo> | null = null;

  constructor(
    private readonly packed: PackedHeader,
    private readonly tensors: readonly TensorInfo[],
  ) {}

  private get map(): Map<string, TensorInfo> {
    if (this.built === null) {
      this.built = new Map();
      fillByName(this.packed, this.tensors, this.built);
    }
    return this.built;
  }

  get size(): number {
    return this.packed.byNameOrder.length;
  }

  get(name: string): TensorInfo | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  forEach(
    callback: (value: TensorInfo, key: string, map: ReadonlyMap<string, TensorInfo>) => void,
  ): void {
    this.map.forEach((value, key) => callback(value, key, this));
  }

  entries(): MapIterator<[string, TensorInfo]> {
    return this.map.entries();
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  values(): MapIterator<TensorInfo> {
    return this.map.values();
  }

  [Symbol.iterator](): MapIterator<[string, TensorInfo]> {
    return this.map[Symbol.iterator]();
  }
}
