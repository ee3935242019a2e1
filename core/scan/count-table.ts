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
 * A histogram whose hot loop increments a `Uint32Array` (fast in V8) while totals stay exact past
 * 2^32 per bin. Call `reserve(n)` before adding up to n increments to `bins`.
 */
export class CountTable {
  readonly bins: Uint32Array;
  private spill: Float64Array | null = null;
  private readonly budget = new IncrementBudget();

  /** `bins`: count into this (zeroed) array, e.g. a view of WASM memory, instead of a new one. */
  constructor(size: number, bins: Uint32Array = new Uint32Array(size)) {
    if (bins.length !== size) {
      throw new RangeError(`a count table of ${size} bins got ${bins.length}`);
    }
    this.bins = bins;
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
    const out = Float64Array.from(this.bins);
    if (this.spill !== null) {
      for (let i = 0; i < out.length; i++) {
        out[i] += this.spill[i];
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
