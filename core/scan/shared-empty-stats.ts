import type { TensorStats } from './tensor-stats';

/**
 * One stats object per dtype (and histogram or none) for tensors of zero bytes. Their stats depend
 * on nothing else (see `EmptyTensorStats`), and a checkpoint of a million zero-size tensors held
 * a million equal objects: in the scan worker's messages (the page deserialized each one) and in
 * the page's rows. The shared object's `name` is empty: it is no tensor's in particular, and the
 * page names tensors by their header entry, never by their stats.
 */
export class SharedEmptyStats {
  private readonly byKey = new Map<string, TensorStats>();

  /** The shared equal of `stats`, which must be the stats of a zero-byte tensor. */
  of(stats: TensorStats): TensorStats {
    const key = `${stats.dtype}:${stats.histogram === null ? '' : stats.histogram.kind}`;
    let shared = this.byKey.get(key);
    if (shared === undefined) {
      shared = Object.freeze(stats.name === '' ? stats : { ...stats, name: '' });
      this.byKey.set(key, shared);
    }
    return shared;
  }
}
