/**
 * Every bin stays below 2^32: increments are reserved before a chunk is counted, and the Uint32
 * bins are spilled into doubles whenever the next chunk could overflow one.
 */
export const MAX_PENDING_INCREMENTS = 0xffffffff;

/**
 * Keeps u32 count bins from wrapping: `reserve(n)` before counting n increments drains the bins
 * (the caller's `drain`: spill them into doubles, clear them) when the increments since the last
 * drain could pass `limit` (MAX_PENDING_INCREMENTS; tests pass less to exercise the drain).
 */
export class IncrementBudget {
  private pending = 0;
  private readonly limit: number;

  constructor(limit = MAX_PENDING_INCREMENTS) {
    this.limit = Math.min(limit, MAX_PENDING_INCREMENTS);
  }

  /** `what` names the n increments for the error when one chunk alone is too many. */
  reserve(n: number, drain: () => void, what = `${n} elements`): void {
    if (n > MAX_PENDING_INCREMENTS) {
      throw new RangeError(`a chunk of ${what} is too large to count at once`);
    }
    if (this.pending + n > this.limit) {
      drain();
      this.pending = 0;
    }
    this.pending += n;
  }
}

/**
 * Tables of at most this many bins are reused (`CountTable.pooled`): the F32 kernel's 576, the
 * byte kernel's 1,024, F6's 64. A kernel per tensor allocated them anew, and for 400,000 tiny
 * tensors (100,000 NVFP4 experts) creating, folding and collecting them was a third of the scan.
 * Larger tables belong to large tensors, whose scan dwarfs one allocation.
 */
export const POOLED_MAX_BINS = 4096;

/**
 * Free tables kept per size. Kernels that are alive at once each hold their own (scans of several
 * files interleaved in one thread); a table given back beyond this is left to the GC.
 */
export const POOL_DEPTH = 8;

/** Zeroed free tables by size. */
const freeTables = new Map<number, Uint32Array[]>();

/**
 * A histogram whose hot loop increments a `Uint32Array` (fast in V8) while totals stay exact past
 * 2^32 per bin. Call `reserve(n)` before adding up to n increments to `bins`.
 */
export class CountTable {
  readonly bins: Uint32Array;
  private spill: Float64Array | null = null;
  private readonly budget = new IncrementBudget();
  /** Bins taken from the pool, to give back at `release` (once). */
  private pooledBins: boolean;

  /** `bins`: count into this (zeroed) array, e.g. a view of WASM memory, instead of a new one. */
  constructor(size: number, bins: Uint32Array = new Uint32Array(size)) {
    if (bins.length !== size) {
      throw new RangeError(`a count table of ${size} bins got ${bins.length}`);
    }
    this.bins = bins;
    this.pooledBins = false;
  }

  /**
   * A table of `size` zeroed bins, reused from a released one when there is one (sizes up to
   * POOLED_MAX_BINS). Call `release` once its counts have been read, and use it no more.
   */
  static pooled(size: number): CountTable {
    const table = new CountTable(size, freeTables.get(size)?.pop() ?? new Uint32Array(size));
    table.pooledBins = size <= POOLED_MAX_BINS;
    return table;
  }

  /**
   * Gives a pooled table's bins back, zeroed: only bins [0, touched) are cleared, so a caller that
   * counted into the first bins alone says so (every bin past `touched` must still be 0). Does
   * nothing for a table that is not pooled or already released.
   */
  release(touched = this.bins.length): void {
    if (!this.pooledBins) {
      return;
    }
    this.pooledBins = false;
    const bins = this.bins;
    bins.fill(0, 0, touched);
    let free = freeTables.get(bins.length);
    if (free === undefined) {
      free = [];
      freeTables.set(bins.length, free);
    }
    if (free.length < POOL_DEPTH) {
      free.push(bins);
    }
  }

  reserve(increments: number): void {
    this.budget.reserve(increments, () => this.flush());
  }

  /** The count of one bin, spilled part included. */
  get(bin: number): number {
    return this.bins[bin] + (this.spill === null ? 0 : this.spill[bin]);
  }

  /** All bins as doubles. */
  totals(): Float64Array {
    // The constructor converts element by element; `Float64Array.from` walked an iterator.
    const out = new Float64Array(this.bins);
    if (this.spill !== null) {
      for (let i = 0; i < out.length; i++) {
        out[i] += this.spill[i];
      }
    }
    return out;
  }

  /**
   * Writes into `out` the totals of bins `i`, `i + out.length`, `i + 2 out.length`, ... below
   * `used` summed (interleaved sub-tables folded together, spilled part included); returns `out`.
   * Bins from `used` on are left out: a caller that counted into the first bins only says so.
   */
  foldInto(out: Float64Array, used = this.bins.length): Float64Array {
    const fold = out.length;
    const bins = this.bins;
    const spill = this.spill;
    out.fill(0);
    for (let base = 0; base < used; base += fold) {
      const end = Math.min(fold, used - base);
      for (let i = 0; i < end; i++) {
        out[i] += bins[base + i] + (spill === null ? 0 : spill[base + i]);
      }
    }
    return out;
  }

  /**
   * The non-zero totals, with bins `i`, `i + fold`, `i + 2 fold`, ... summed (interleaved
   * sub-tables folded together), as parallel code/count lists in ascending code order.
   */
  nonZero(fold: number): { codes: number[]; counts: number[] } {
    const codes: number[] = [];
    const counts: number[] = [];
    const bins = this.bins;
    const spill = this.spill;
    if (spill === null && fold === bins.length) {
      for (let code = 0; code < fold; code++) {
        if (bins[code] !== 0) {
          codes.push(code);
          counts.push(bins[code]);
        }
      }
      return { codes, counts };
    }
    for (let code = 0; code < fold; code++) {
      let n = 0;
      for (let at = code; at < bins.length; at += fold) {
        n += bins[at] + (spill === null ? 0 : spill[at]);
      }
      if (n !== 0) {
        codes.push(code);
        counts.push(n);
      }
    }
    return { codes, counts };
  }

  private flush(): void {
    const spill = this.spill ?? new Float64Array(this.bins.length);
    const bins = this.bins;
    for (let i = 0; i < bins.length; i++) {
      spill[i] += bins[i];
    }
    bins.fill(0);
    this.spill = spill;
  }
}
