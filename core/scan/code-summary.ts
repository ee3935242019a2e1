import type { ValueRules } from './value-rules';
import { isSaturated } from './value-rules';
import type { ValueSummary } from './value-summary';
import { emptySummary } from './value-summary';

/** The codes that occur and how often, ascending by code (zero counts may be left out). */
export interface CodeCounts {
  readonly codes: readonly number[];
  readonly counts: readonly number[];
}

/** The non-zero entries of a dense histogram. */
export function sparseCounts(dense: ArrayLike<number>): CodeCounts {
  const codes: number[] = [];
  const counts: number[] = [];
  for (let c = 0; c < dense.length; c++) {
    if (dense[c] !== 0) {
      codes.push(c);
      counts.push(dense[c]);
    }
  }
  return { codes, counts };
}

/**
 * Counts and moments from an exact code histogram: `counts[i]` elements hold `codes[i]`, whose
 * value is `valueOf(code)`, or `valueOf[code]` for a code table (no closure per tensor). Exact
 * counts and order-independent moments (mean, then the variance about it). Calls `visit` with each finite non-zero value and its count (exponent histograms).
 */
export function summarizeCodes(
  histogram: CodeCounts,
  valueOf: ((code: number) => number) | ArrayLike<number>,
  rules: ValueRules,
  visit?: (value: number, count: number) => void,
): ValueSummary {
  const s = emptySummary();
  let finite = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const { codes, counts } = histogram;
  const values: number[] = [];
  for (const code of codes) {
    values.push(typeof valueOf === 'function' ? valueOf(code) : valueOf[code]);
  }
  for (let i = 0; i < codes.length; i++) {
    const n = counts[i];
    const v = values[i];
    if (Number.isNaN(v)) {
      s.nan += n;
      continue;
    }
    if (v === Infinity) {
      s.posInf += n;
      continue;
    }
    if (v === -Infinity) {
      s.negInf += n;
      continue;
    }
    finite += n;
    sum += n * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (isSaturated(v, rules)) {
      s.saturated += n;
    }
    if (v === 0) {
      s.zero += n;
      continue;
    }
    if (v < 0) {
      s.negative += n;
    }
    if (rules.floatLike && Math.abs(v) < rules.smallestNormal) {
      s.subnormal += n;
    }
    visit?.(v, n);
  }
  if (finite === 0) {
    return s;
  }
  const mean = sum / finite;
  let squares = 0;
  for (let i = 0; i < codes.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      squares += counts[i] * (v - mean) * (v - mean);
    }
  }
  s.min = min;
  s.max = max;
  s.mean = mean;
  s.std = Math.sqrt(squares / finite);
  return s;
}
