/**
 * A set of names given with their hashes, for finding a repeated tensor name among hundreds of
 * thousands without a Map: the caller hashes each name while it scans it anyway (`hashUnit`), and
 * the set holds only two typed arrays (no GC-traced table, no hash computed again by the engine).
 */
export class HashedNameSet {
  /** Per slot: 1 + the index of the name there, or 0 when empty. */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** Per index: the name's hash. */
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private count = 0;

  /**
   * Adds the name of `items[index]`, `index` being the count added so far (whose `hashUnit` fold is
   * `hash`); false, and nothing added, when an earlier item has the same name.
   */
  add(items: readonly { readonly name: string }[], index: number, hash: number): boolean {
    if (index !== this.count) {
      throw new RangeError(`add ${index} after ${this.count} names`);
    }
    if (index * 2 >= this.slots.length) {
      this.grow();
    }
    const name = items[index].name;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot];
      if (held === 0) {
        this.slots[slot] = index + 1;
        this.hashes[index] = hash;
        this.count += 1;
        return true;
      }
      if (this.hashes[held - 1] === hash && items[held - 1].name === name) {
        return false;
      }
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const hashes = new Int32Array(slots.length / 2);
    hashes.set(this.hashes);
    const mask = slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hashes[i] & mask;
      while (slots[slot] !== 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

const INITIAL_SLOTS = 1024;

/** FNV-1a's offset basis: the hash of the empty name. */
export const EMPTY_NAME_HASH = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash of a name extended by one UTF-16 unit (FNV-1a over units). */
export function hashUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}
