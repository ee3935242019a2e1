import { CompensatedSum } from './compensated-sum';

/** The figures of one compared pair, A the reference and B the candidate. */
export interface MetricsSummary {
  readonly sqnrDb: number | null;
  readonly relL2: number | null;
  readonly cosine: number | null;
  readonly maxAbsError: number | null;
  readonly bitIdentical: number | null;
  readonly nanA: number;
  readonly nanB: number;
  readonly infA: number;
  readonly infB: number;
  readonly newNonFiniteB: number;
  /** Elements where both sides are finite (the ones the norms are over). */
  readonly elements: number;
}

/**
 * Elements summed plainly before a partial sum joins the compensated total. Groups are aligned on
 * the pair's element index (element k belongs to group ⌊k / METRIC_GROUP⌋), not on the blocks a
 * walk hands over, so every figure is the same bit for bit whatever the chunk size, the readers'
 * block boundaries or the thread count; a plain sum over 4096 terms loses at most ~4096 ulps
 * relative, far inside the 0.01 dB the diff promises, and the compensated sum keeps the total of a
 * billion groups as exact.
 */
export const METRIC_GROUP = 4096;

/**
 * Accumulates A against B element by element (both as float64), over the elements where both are
 * finite: ‖A‖², ‖B‖², A·B, ‖A−B‖² (plain within a METRIC_GROUP, compensated across groups), the
 * largest |A−B|, equal values, and the NaN/Inf counts of each side.
 */
export class PairMetrics {
  private readonly aa = new CompensatedSum();
  private readonly bb = new CompensatedSum();
  private readonly ab = new CompensatedSum();
  private readonly ee = new CompensatedSum();
  /** The current group's plain sums, and how many of its elements have been added. */
  private gAA = 0;
  private gBB = 0;
  private gAB = 0;
  private gEE = 0;
  private fill = 0;
  private maxAbs = 0;
  private equal = 0;
  private total = 0;
  private finite = 0;
  private nanA = 0;
  private nanB = 0;
  private infA = 0;
  private infB = 0;
  private newNonFiniteB = 0;

  /** Adds a[aAt .. aAt+n) against b[bAt .. bAt+n). */
  add(a: Float64Array, aAt: number, b: Float64Array, bAt: number, n: number): void {
    let k = 0;
    while (k < n) {
      const m = Math.min(n - k, METRIC_GROUP - this.fill);
      this.run(a, aAt + k, b, bAt + k, m);
      k += m;
      this.fill += m;
      if (this.fill === METRIC_GROUP) {
        this.flush();
      }
    }
    this.total += n;
  }

  /** One run inside a group: a tight loop over typed arrays, the rare non-finite pairs aside. */
  private run(a: Float64Array, aAt: number, b: Float64Array, bAt: number, n: number): void {
    let aa = this.gAA;
    let bb = this.gBB;
    let ab = this.gAB;
    let ee = this.gEE;
    let maxAbs = this.maxAbs;
    let equal = 0;
    let finite = 0;
    for (let k = 0; k < n; k++) {
      const x = a[aAt + k];
      const y = b[bAt + k];
      if (x === y) {
        equal++;
      }
      // x - x is 0 exactly when x is finite (NaN and ±Inf give NaN).
      if (x - x === 0 && y - y === 0) {
        finite++;
        const e = x - y;
        aa += x * x;
        bb += y * y;
        ab += x * y;
        ee += e * e;
        const m = Math.abs(e);
        if (m > maxAbs) {
          maxAbs = m;
        }
      } else {
        equal += this.nonFinite(x, y);
      }
    }
    this.gAA = aa;
    this.gBB = bb;
    this.gAB = ab;
    this.gEE = ee;
    this.maxAbs = maxAbs;
    this.equal += equal;
    this.finite += finite;
  }

  /** Counts a pair where either side is NaN or ±Inf; 1 when both are NaN (they count as equal). */
  private nonFinite(x: number, y: number): number {
    const xFinite = Number.isFinite(x);
    if (!xFinite) {
      if (Number.isNaN(x)) {
        this.nanA++;
      } else {
        this.infA++;
      }
    }
    if (!Number.isFinite(y)) {
      if (Number.isNaN(y)) {
        this.nanB++;
      } else {
        this.infB++;
      }
      if (xFinite) {
        this.newNonFiniteB++;
      }
    }
    return Number.isNaN(x) && Number.isNaN(y) ? 1 : 0;
  }

  private flush(): void {
    this.aa.add(this.gAA);
    this.bb.add(this.gBB);
    this.ab.add(this.gAB);
    this.ee.add(this.gEE);
    this.gAA = 0;
    this.gBB = 0;
    this.gAB = 0;
    this.gEE = 0;
    this.fill = 0;
  }

  /** The figures so far (the current group's partial sums included; nothing is reset). */
  summary(): MetricsSummary {
    return summarize({
      aa: this.aa.plus(this.gAA),
      bb: this.bb.plus(this.gBB),
      ab: this.ab.plus(this.gAB),
      ee: this.ee.plus(this.gEE),
      maxAbs: this.maxAbs,
      equal: this.equal,
      total: this.total,
      finite: this.finite,
      nanA: this.nanA,
      nanB: this.nanB,
      infA: this.infA,
      infB: this.infB,
      newNonFiniteB: this.newNonFiniteB,
    });
  }
}

/** What a MetricsSummary is made of: the sums over the finite pairs, the largest |A−B|, counts. */
export interface MetricTotals {
  readonly aa: number;
  readonly bb: number;
  readonly ab: number;
  readonly ee: number;
  readonly maxAbs: number;
  /** Equal pairs (both NaN included) of `total` pairs; `finite` of them both finite. */
  readonly equal: number;
  readonly total: number;
  readonly finite: number;
  readonly nanA: number;
  readonly nanB: number;
  readonly infA: number;
  readonly infB: number;
  readonly newNonFiniteB: number;
}

/** The figures of a pair from its totals (PairMetrics and the WASM diff kernel alike). */
export function summarize(t: MetricTotals): MetricsSummary {
  const any = t.finite > 0;
  return {
    sqnrDb: any && t.aa > 0 && t.ee > 0 ? 10 * Math.log10(t.aa / t.ee) : null,
    relL2: any && t.aa > 0 ? Math.sqrt(t.ee / t.aa) : null,
    cosine: cosineOf(t.ab, t.aa, t.bb),
    maxAbsError: any ? t.maxAbs : null,
    bitIdentical: t.total > 0 ? t.equal / t.total : null,
    nanA: t.nanA,
    nanB: t.nanB,
    infA: t.infA,
    infB: t.infB,
    newNonFiniteB: t.newNonFiniteB,
    elements: t.finite,
  };
}

/** A·B / (‖A‖‖B‖), null when either norm is zero; clamped to [-1, 1] against rounding. */
export function cosineOf(ab: number, aa: number, bb: number): number | null {
  if (!(aa > 0 && bb > 0)) {
    return null;
  }
  return Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
}

/**
 * Only the cosine of A against an alternative reading of B (the layout check): A·B', ‖A‖², ‖B'‖²
 * over the elements where both are finite.
 */
export class CosineAccumulator {
  private readonly aa = new CompensatedSum();
  private readonly bb = new CompensatedSum();
  private readonly ab = new CompensatedSum();
  private gAA = 0;
  private gBB = 0;
  private gAB = 0;
  private fill = 0;

  add(a: Float64Array, aAt: number, b: Float64Array, bAt: number, n: number): void {
    let k = 0;
    while (k < n) {
      const m = Math.min(n - k, METRIC_GROUP - this.fill);
      this.run(a, aAt + k, b, bAt + k, m);
      k += m;
      this.fill += m;
      if (this.fill === METRIC_GROUP) {
        this.flush();
      }
    }
  }

  private run(a: Float64Array, aAt: number, b: Float64Array, bAt: number, n: number): void {
    let aa = this.gAA;
    let bb = this.gBB;
    let ab = this.gAB;
    for (let k = 0; k < n; k++) {
      const x = a[aAt + k];
      const y = b[bAt + k];
      if (x - x === 0 && y - y === 0) {
        aa += x * x;
        bb += y * y;
        ab += x * y;
      }
    }
    this.gAA = aa;
    this.gBB = bb;
    this.gAB = ab;
  }

  private flush(): void {
    this.aa.add(this.gAA);
    this.bb.add(this.gBB);
    this.ab.add(this.gAB);
    this.gAA = 0;
    this.gBB = 0;
    this.gAB = 0;
    this.fill = 0;
  }

  cosine(): number | null {
    return cosineOf(this.ab.plus(this.gAB), this.aa.plus(this.gAA), this.bb.plus(this.gBB));
  }
}
