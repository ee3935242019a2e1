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
 * Accumulates A against B element by element (both as float64), over the elements where both are
 * finite: ‖A‖², ‖B‖², A·B, ‖A−B‖² (compensated across blocks, plain within one), the largest
 * |A−B|, equal values, and the NaN/Inf counts of each side.
 */
export class PairMetrics {
  private readonly aa = new CompensatedSum();
  private readonly bb = new CompensatedSum();
  private readonly ab = new CompensatedSum();
  private readonly ee = new CompensatedSum();
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
    let aa = 0;
    let bb = 0;
    let ab = 0;
    let ee = 0;
    let maxAbs = this.maxAbs;
    let equal = 0;
    let finite = 0;
    for (let k = 0; k < n; k++) {
      const x = a[aAt + k];
      const y = b[bAt + k];
      const xFinite = Number.isFinite(x);
      const yFinite = Number.isFinite(y);
      if (x === y || (x !== x && y !== y)) {
        equal++;
      }
      if (xFinite && yFinite) {
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
        continue;
      }
      if (!xFinite) {
        if (Number.isNaN(x)) {
          this.nanA++;
        } else {
          this.infA++;
        }
      }
      if (!yFinite) {
        if (Number.isNaN(y)) {
          this.nanB++;
        } else {
          this.infB++;
        }
        if (xFinite) {
          this.newNonFiniteB++;
        }
      }
    }
    this.aa.add(aa);
    this.bb.add(bb);
    this.ab.add(ab);
    this.ee.add(ee);
    this.maxAbs = maxAbs;
    this.equal += equal;
    this.finite += finite;
    this.total += n;
  }

  summary(): MetricsSummary {
    const aa = this.aa.value;
    const bb = this.bb.value;
    const ee = this.ee.value;
    const any = this.finite > 0;
    return {
      sqnrDb: any && aa > 0 && ee > 0 ? 10 * Math.log10(aa / ee) : null,
      relL2: any && aa > 0 ? Math.sqrt(ee / aa) : null,
      cosine: cosineOf(this.ab.value, aa, bb),
      maxAbsError: any ? this.maxAbs : null,
      bitIdentical: this.total > 0 ? this.equal / this.total : null,
      nanA: this.nanA,
      nanB: this.nanB,
      infA: this.infA,
      infB: this.infB,
      newNonFiniteB: this.newNonFiniteB,
      elements: this.finite,
    };
  }
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

  add(a: Float64Array, aAt: number, b: Float64Array, bAt: number, n: number): void {
    let aa = 0;
    let bb = 0;
    let ab = 0;
    for (let k = 0; k < n; k++) {
      const x = a[aAt + k];
      const y = b[bAt + k];
      if (Number.isFinite(x) && Number.isFinite(y)) {
        aa += x * x;
        bb += y * y;
        ab += x * y;
      }
    }
    this.aa.add(aa);
    this.bb.add(bb);
    this.ab.add(ab);
  }

  cosine(): number | null {
    return cosineOf(this.ab.value, this.aa.value, this.bb.value);
  }
}
