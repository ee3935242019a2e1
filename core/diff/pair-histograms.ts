import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { comparePair } from './compare-pair';
import type { PlannedPair } from './pairing';

/** Bins of each of the detail's three histograms. */
export const PAIR_HISTOGRAM_BINS = 64;

/** Finite values binned over [lo, hi] (hi in the last bin); `lo`/`hi` null when there were none. */
export interface ValueHistogram {
  readonly lo: number | null;
  readonly hi: number | null;
  readonly counts: readonly number[];
}

/** What the compare detail shows of one pair: A's values, B's, and the error A − B. */
export interface PairHistograms {
  readonly a: ValueHistogram;
  readonly b: ValueHistogram;
  readonly error: ValueHistogram;
}

class Range {
  lo = Infinity;
  hi = -Infinity;
  see(v: number): void {
    if (v < this.lo) {
      this.lo = v;
    }
    if (v > this.hi) {
      this.hi = v;
    }
  }
}

class Bins {
  readonly counts: Float64Array;
  private readonly width: number;
  constructor(
    readonly lo: number,
    readonly hi: number,
    bins: number,
  ) {
    this.counts = new Float64Array(bins);
    this.width = (hi - lo) / bins;
  }
  add(v: number): void {
    if (!(v >= this.lo && v <= this.hi)) {
      return;
    }
    const i = this.width > 0 ? Math.floor((v - this.lo) / this.width) : 0;
    this.counts[Math.min(this.counts.length - 1, i)]++;
  }
  result(): ValueHistogram {
    return this.lo > this.hi
      ? { lo: null, hi: null, counts: [] }
      : { lo: this.lo, hi: this.hi, counts: Array.from(this.counts) };
  }
}

/**
 * The three histograms of one pair, in two streamed passes (ranges, then bins): memory is the
 * pair's blocks and the bins. Values that are not finite are left out (the pair's counts say how
 * many there are). A pair that cannot be streamed gives empty histograms.
 */
export async function pairHistograms(
  pair: PlannedPair,
  aSources: SourceMap,
  bSources: SourceMap,
  options: StreamOptions = {},
): Promise<PairHistograms> {
  const ra = new Range();
  const rb = new Range();
  const re = new Range();
  await comparePair(pair, aSources, bSources, {
    ...options,
    onValues(a, aAt, b, bAt, n) {
      for (let k = 0; k < n; k++) {
        const x = a[aAt + k];
        const y = b[bAt + k];
        if (Number.isFinite(x)) {
          ra.see(x);
        }
        if (Number.isFinite(y)) {
          rb.see(y);
        }
        if (Number.isFinite(x - y)) {
          re.see(x - y);
        }
      }
    },
  });
  const ha = new Bins(ra.lo, ra.hi, PAIR_HISTOGRAM_BINS);
  const hb = new Bins(rb.lo, rb.hi, PAIR_HISTOGRAM_BINS);
  const he = new Bins(re.lo, re.hi, PAIR_HISTOGRAM_BINS);
  if (ra.lo <= ra.hi || rb.lo <= rb.hi) {
    await comparePair(pair, aSources, bSources, {
      ...options,
      onValues(a, aAt, b, bAt, n) {
        for (let k = 0; k < n; k++) {
          const x = a[aAt + k];
          const y = b[bAt + k];
          ha.add(x);
          hb.add(y);
          he.add(x - y);
        }
      },
    });
  }
  return { a: ha.result(), b: hb.result(), error: he.result() };
}
