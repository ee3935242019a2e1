/** Entries kept in fields before the rest go to a `Map`: ModelOpt modules have at most four. */
const FIELD_ENTRIES = 4;

/**
 * A small insertion-ordered map for name groups: up to four entries in fields, more in a `Map`.
 * Most groups of a checkpoint hold one tensor (a norm's or a plain layer's `weight`) and a quantized
 * module two to four: a `Map` each cost ~120 bytes and a second `set` of its prefix when it grew
 * from one entry, 100,000 times for a layer of experts. Reads as a `Map` (same order, a `set` of a
 * key already present replaces its value in place).
 */
export class FewEntryMap<K, V> implements ReadonlyMap<K, V> {
  private count = 1;
  private k1: K | undefined = undefined;
  private v1: V | undefined = undefined;
  private k2: K | undefined = undefined;
  private v2: V | undefined = undefined;
  private k3: K | undefined = undefined;
  private v3: V | undefined = undefined;
  /** Entries past the fourth, in order; null until there is a fifth. */
  private rest: Map<K, V> | null = null;

  constructor(
    private readonly k0: K,
    private v0: V,
  ) {}

  get size(): number {
    return this.count + (this.rest === null ? 0 : this.rest.size);
  }

  /** Index of `key` among the field entries, or -1. */
  private slotOf(key: K): number {
    if (key === this.k0) {
      return 0;
    }
    const n = this.count;
    if (n > 1 && key === this.k1) {
      return 1;
    }
    if (n > 2 && key === this.k2) {
      return 2;
    }
    if (n > 3 && key === this.k3) {
      return 3;
    }
    return -1;
  }

  get(key: K): V | undefined {
    switch (this.slotOf(key)) {
      case 0:
        return this.v0;
      case 1:
        return this.v1;
      case 2:
        return this.v2;
      case 3:
        return this.v3;
      default:
        return this.rest?.get(key);
    }
  }

  has(key: K): boolean {
    return this.slotOf(key) >= 0 || (this.rest !== null && this.rest.has(key));
  }

  set(key: K, value: V): this {
    const slot = this.slotOf(key);
    if (slot >= 0) {
      this.setValue(slot, value);
    } else if (this.count < FIELD_ENTRIES && this.rest === null) {
      this.setKey(this.count, key);
      this.setValue(this.count, value);
      this.count++;
    } else {
      this.rest ??= new Map();
      this.rest.set(key, value);
    }
    return this;
  }

  private setKey(slot: number, key: K): void {
    if (slot === 1) {
      this.k1 = key;
    } else if (slot === 2) {
      this.k2 = key;
    } else {
      this.k3 = key;
    }
  }

  private setValue(slot: number, value: V): void {
    if (slot === 0) {
      this.v0 = value;
    } else if (slot === 1) {
      this.v1 = value;
    } else if (slot === 2) {
      this.v2 = value;
    } else {
      this.v3 = value;
    }
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.entries()) {
      callback(value, key, this);
    }
  }

  *entries(): MapIterator<[K, V]> {
    yield [this.k0, this.v0];
    // Slots below `count` were set together with their values.
    if (this.count > 1) {
      yield [this.k1 as K, this.v1 as V];
    }
    if (this.count > 2) {
      yield [this.k2 as K, this.v2 as V];
    }
    if (this.count > 3) {
      yield [this.k3 as K, this.v3 as V];
    }
    if (this.rest !== null) {
      yield* this.rest.entries();
    }
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) {
      yield key;
    }
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) {
      yield value;
    }
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
