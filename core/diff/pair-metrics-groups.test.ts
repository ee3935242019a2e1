import { describe, expect, it } from 'vitest';
import { lcgBytes } from '../testing/lcg-bytes';
import { CosineAccumulator, METRIC_GROUP, PairMetrics } from './pair-metrics';

/** Pseudo-random doubles in (-1, 1) with NaN, ±Inf and exact agreements sprinkled in. */
function values(n: number, seed: number, other?: Float64Array): Float64Array {
  const bytes = lcgBytes(4 * n, seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (bytes[4 * i] * 256 + bytes[4 * i + 1]) / 65536;
    out[i] = other !== undefined ? other[i] + (u - 0.5) * 1e-3 : 2 * u - 1;
    const r = bytes[4 * i + 2];
    if (r === 0) {
      out[i] = NaN;
    } else if (r === 1) {
      out[i] = bytes[4 * i + 3] < 128 ? Infinity : -Infinity;
    } else if (r === 2 && other !== undefined) {
      out[i] = other[i];
    }
  }
  return out;
}

/** The figures of the former one-loop accumulation, in float64 with plain sums (the reference). */
function reference(a: Float64Array, b: Float64Array) {
  let aa = 0;
  let bb = 0;
  let ab = 0;
  let ee = 0;
  let equal = 0;
  let nanA = 0;
  let nanB = 0;
  let infA = 0;
  let infB = 0;
  let fresh = 0;
  let maxAbs = 0;
  let finite = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) {
      equal++;
    }
    nanA += Number.isNaN(x) ? 1 : 0;
    nanB += Number.isNaN(y) ? 1 : 0;
    infA += Math.abs(x) === Infinity ? 1 : 0;
    infB += Math.abs(y) === Infinity ? 1 : 0;
    fresh += Number.isFinite(x) && !Number.isFinite(y) ? 1 : 0;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      finite++;
      aa += x * x;
      bb += y * y;
      ab += x * y;
      ee += (x - y) ** 2;
      maxAbs = Math.max(maxAbs, Math.abs(x - y));
    }
  }
  return { aa, bb, ab, ee, equal, nanA, nanB, infA, infB, fresh, maxAbs, finite };
}

describe('PairMetrics over METRIC_GROUP-aligned groups', () => {
  const n = 3 * METRIC_GROUP + 1234;
  const a = values(n, 11);
  const b = values(n, 12, a);

  function measure(cuts: readonly number[]) {
    const m = new PairMetrics();
    const c = new CosineAccumulator();
    let at = 0;
    for (const end of [...cuts, n]) {
      m.add(a, at, b, at, end - at);
      c.add(a, at, b, at, end - at);
      at = end;
    }
    return { summary: m.summary(), cosine: c.cosine() };
  }

  it('the same figures bit for bit however the elements are split into runs', () => {
    const whole = measure([]);
    for (const cuts of [
      [1, 2, 3],
      [METRIC_GROUP - 1, METRIC_GROUP + 1],
      [100, 5000, 5001, 9000, 12000],
      Array.from({ length: 60 }, (_, i) => (i + 1) * 211),
    ]) {
      expect(measure(cuts)).toEqual(whole);
    }
  });

  it('counts and norms as a plain float64 loop over the same elements', () => {
    const { summary, cosine } = measure([777]);
    const r = reference(a, b);
    expect(summary).toMatchObject({
      nanA: r.nanA,
      nanB: r.nanB,
      infA: r.infA,
      infB: r.infB,
      newNonFiniteB: r.fresh,
      elements: r.finite,
      maxAbsError: r.maxAbs,
      bitIdentical: r.equal / n,
    });
    expect(r.nanA + r.infA).toBeGreaterThan(10);
    expect(r.equal).toBeGreaterThan(10);
    expect(summary.sqnrDb ?? NaN).toBeCloseTo(10 * Math.log10(r.aa / r.ee), 9);
    expect(summary.relL2 ?? NaN).toBeCloseTo(Math.sqrt(r.ee / r.aa), 12);
    expect(summary.cosine ?? NaN).toBeCloseTo(r.ab / Math.sqrt(r.aa * r.bb), 12);
    expect(cosine).toBe(summary.cosine);
  });

  it('summary does not disturb what follows', () => {
    const m = new PairMetrics();
    m.add(a, 0, b, 0, 1000);
    const early = m.summary();
    m.add(a, 1000, b, 1000, n - 1000);
    const first = new PairMetrics();
    first.add(a, 0, b, 0, 1000);
    expect(early).toEqual(first.summary());
    expect(m.summary()).toEqual(measure([]).summary);
  });
});
