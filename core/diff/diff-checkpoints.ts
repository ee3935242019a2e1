import { CheckpointError } from '../format/errors';
import type { StreamOptions } from '../quant/stream/read-exact';
import { comparePair, pairElements } from './compare-pair';
import type { DiffInput } from './diff-side';
import { indexSide, sideScheme } from './diff-side';
import type { DiffError, DiffFinding, DiffReport, PairResult } from './diff-types';
import { planPairs } from './pairing';
import { siblingFindings } from './sibling-scales';

export interface DiffOptions extends StreamOptions {
  /** Elements compared so far and in all (the pairs' element counts). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Each pair's result as soon as it is known (the app fills its heatmap with them). */
  readonly onPair?: (pair: PairResult) => void;
}

/**
 * Worst first: lowest SQNR, then pairs with no SQNR (exact or not computed), identical last; ties
 * by name so the order does not depend on the shard layout.
 */
export function comparePairs(x: PairResult, y: PairResult): number {
  const rank = (p: PairResult): number =>
    p.notCompared !== null ? 0 : p.sqnrDb !== null ? 1 : p.identical === true ? 3 : 2;
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) {
    return rx - ry;
  }
  if (x.sqnrDb !== null && y.sqnrDb !== null && x.sqnrDb !== y.sqnrDb) {
    return x.sqnrDb - y.sqnrDb;
  }
  return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

/**
 * Compares checkpoint B against checkpoint A (the reference) pair by pair, each pair streamed in
 * lockstep: memory is one chunk per side (and per alternative layout reading), whatever the sizes.
 * Rejects only when cancelled (a `Cancelled` CheckpointError).
 */
export async function diffCheckpoints(
  a: DiffInput,
  b: DiffInput,
  options: DiffOptions = {},
): Promise<DiffReport> {
  const ia = indexSide(a);
  const ib = indexSide(b);
  const plan = planPairs(ia, ib);
  const total = plan.pairs.reduce((n, p) => n + pairElements(p), 0);
  const pairs: PairResult[] = [];
  const findings: DiffFinding[] = [];
  const errors: DiffError[] = [];
  let done = 0;
  options.onProgress?.(0, total);
  for (const pair of plan.pairs) {
    if (options.signal?.aborted === true) {
      throw new CheckpointError('Cancelled', b.path, 'comparison cancelled');
    }
    const before = done;
    const outcome = await comparePair(pair, a.sources, b.sources, {
      ...options,
      onElements: (n) => options.onProgress?.(before + n, total),
    });
    done = before + pairElements(pair);
    options.onProgress?.(done, total);
    pairs.push(outcome.result);
    options.onPair?.(outcome.result);
    for (const f of outcome.findings) {
      findings.push(f);
    }
    for (const e of outcome.errors) {
      errors.push(e);
    }
    const r = outcome.result;
    if (r.newNonFiniteB !== null && r.newNonFiniteB > 0) {
      findings.push({
        rule: 'new-non-finite',
        severity: 'error',
        name: r.name,
        message: `${r.name}: ${r.newNonFiniteB} element(s) NaN or Inf in B where A is finite (NaN ${r.nanA ?? 0} -> ${r.nanB ?? 0}, Inf ${r.infA ?? 0} -> ${r.infB ?? 0})`,
      });
    }
  }
  for (const f of await siblingFindings(ia, a.sources, ib, b.sources)) {
    findings.push(f);
  }
  pairs.sort(comparePairs);
  return {
    a: { path: a.path, scheme: sideScheme(a) },
    b: { path: b.path, scheme: sideScheme(b) },
    pairs,
    onlyA: plan.onlyA,
    onlyB: plan.onlyB,
    findings,
    errors,
  };
}

/**
 * Exit status of `ckptscope diff`: 0 when every pair was compared, none falls below `minSqnr` (when
 * given) and B has no NaN/Inf where A is finite; 1 otherwise (2, bad input, is the CLI's to decide).
 * A pair that could not be compared (a shape change, a module that cannot be dequantized) is not a
 * pass: unknown is never shown as clean. A = 0 with B ≠ 0 has an SQNR of −∞ (reported as null).
 */
export function diffVerdict(report: DiffReport, minSqnr: number | null): 0 | 1 {
  if (report.errors.length > 0) {
    return 1;
  }
  for (const p of report.pairs) {
    if (p.notCompared !== null) {
      return 1;
    }
    if (p.newNonFiniteB !== null && p.newNonFiniteB > 0) {
      return 1;
    }
    if (minSqnr === null || p.identical === true) {
      continue;
    }
    const minusInfinity = p.sqnrDb === null && p.relL2 === null && (p.maxAbsError ?? 0) > 0;
    if ((p.sqnrDb !== null && p.sqnrDb < minSqnr) || minusInfinity) {
      return 1;
    }
  }
  return 0;
}
