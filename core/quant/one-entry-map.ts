/**
 * A read-only map of exactly one entry. Most name groups of a checkpoint hold one tensor (a norm's
 * or a plain layer's `weight`): a `Map` each cost ~200 bytes, a million of them in a header of a
 * million tensors; this costs two fields.
 */
export class OneEntryMap<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly key: K,
    private readonly value: V,
  ) {}

  get size(): number {
    return 1;
  }

  get(key: K): V | undefined {
    return key === this.key ? this.value : undefined;
  }

  has(key: K): boolean {
    return key === this.key;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    callback(this.value, this.key, this);
  }

  *entries(): MapIterator<[K, V]> {
    yield [this.key, this.value];
  }

  *keys(): MapIterator<K> {
    yield this.key;
  }

  *values(): MapIterator<V> {
    yield this.value;
  }

  /** A new `Map` holding the entry (to add more), without iterating this one. */
  toMap(): Map<K, V> {
    return new Map<K, V>().set(this.key, this.value);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
