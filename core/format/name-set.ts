/**
 * A set of names given with their hashes, for finding a repeated tensor name among hundreds of
 * thousands without a Map: the caller hashes each name while it scans it anyway (`hashUnit`), and
 * the set holds only two typed arrays (no GC-traced table, no hash computed again by the engine).
 * The hash is not seeded, so names crafted to collide could make probing quadratic: a probe longer
 * than MAX_PROBES gives up instead (`add` returns false), and the caller takes its general path.
 */
export class HashedNameSet {
  /** Per slot: 1 + the index of the name there, or 0 when empty. */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** Per index: the name's hash. */
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private count = 0;

  /**
   * Adds the name of `items[index]`, `index` being the count added so far (whose `hashUnit` fold is
   * `hash`). False, and nothing added, when an earlier item has the same name or when the set
   * cannot tell cheaply (a probe past MAX_PROBES).
   */
  add(items: readonly { readonly name: string }[], index: number, hash: number): boolean {
    if (index !== this.count) {
      throw new RangeError(`add ${index} after ${this.count} names`);
    }
    if (index * 2 >= this.slots.length && !this.grow()) {
      return false;
    }
    const name = items[index].name;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
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
      slot = (slot + 1) & mask;
    }
    return false;
  }

  /** Doubles the table; false (the set unchanged) when a probe would run past MAX_PROBES. */
  private grow(): boolean {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hashes[i] & mask;
      for (let probe = 0; slots[slot] !== 0; probe++) {
        if (probe === MAX_PROBES) {
          return false;
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
    const hashes = new Int32Array(slots.length / 2);
    hashes.set(this.hashes);
    this.slots = slots;
    this.hashes = hashes;
    return true;
  }
}

/** Slots of a new set (a power of two); the table doubles whenever it would become half full. */
const INITIAL_SLOTS = 1024;

/**
 * Linear probes before giving up. At most half full, a probe of the usual names runs ~1.3 slots on
 * average and at most ~20 (the 400,000 names of the 100k experts file), so only colliding hashes
 * reach this.
 */
export const MAX_PROBES = 256;

/** FNV-1a's offset basis: the hash of the empty name. */
export const EMPTY_NAME_HASH = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The hash of a name extended by one UTF-16 unit (FNV-1a over units). */
export function hashUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}
