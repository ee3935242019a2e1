/** Bits per lazily allocated page (512 bytes). */
const PAGE_BITS = 4096;

/**
 * A set of non-negative integers below 2^53, one bit each, allocated a page at a time only where
 * members are: memory stays proportional to the faults found, at most one bit per scale element.
 */
export class SparseBitSet {
  /** Made at the first member: most sets (one per module's weight pass) stay empty. */
  private pages: Map<number, Uint32Array> | null = null;
  private count = 0;

  /** Adds `i`; returns true when it was not yet a member. */
  add(i: number): boolean {
    const pageIndex = Math.floor(i / PAGE_BITS);
    this.pages ??= new Map();
    let page = this.pages.get(pageIndex);
    if (page === undefined) {
      page = new Uint32Array(PAGE_BITS / 32);
      this.pages.set(pageIndex, page);
    }
    const bit = i - pageIndex * PAGE_BITS;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((page[word] & mask) !== 0) {
      return false;
    }
    page[word] |= mask;
    this.count++;
    return true;
  }

  get size(): number {
    return this.count;
  }
}
