import { CheckpointError } from '../format/errors';
import type { StreamOptions } from '../quant/stream/read-exact';
import { appendAll } from '../append-all';
import { comparePair, pairElements } from './compare-pair';
import type { PairOutcome } from './compare-pair';
import type { DiffInput } from './diff-side';
import { indexSide, sideScheme } from './diff-side';
import type { DiffError, DiffFinding, DiffReport, PairResult } from './diff-types';
import { planPairs } from './pairing';
import type { PlannedPair } from './pairing';
import { siblingFindings } from './sibling-scales';

export interface DiffOptions extends StreamOptions {
  /** Elements compared so far and in all (the pairs' element counts). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Each pair's result as soon as it is known (the app fills its heatmap with them). */
  readonly onPair?: (pair: PairResult) => void;
  /**
   * Compares the planned pairs elsewhere (the CLI's worker threads), handing each outcome to
   * `take` with its index in `pairs`; default: one after another on this thread.
   */
  readonly runPairs?: PairRunner;
  /** `false`: the JS value streams even where the fused WASM kernel applies (CompareOptions.wasm). */
  readonly wasm?: boolean;
}

export type PairRunner = (
  pairs: readonly PlannedPair[],
  take: (index: number, outcome: PairOutcome) => void,
) => Promise<void>;

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
  const outcomes: (PairOutcome | null)[] = plan.pairs.map(() => null);
  let finished = 0;
  options.onProgress?.(0, total);
  const take = (index: number, outcome: PairOutcome): void => {
    outcomes[index] = outcome;
    finished += pairElements(plan.pairs[index]);
    options.onProgress?.(finished, total);
    options.onPair?.(outcome.result);
  };
  if (options.runPairs !== undefined) {
    await options.runPairs(plan.pairs, take);
  } else {
    for (const [index, pair] of plan.pairs.entries()) {
      if (options.signal?.aborted === true) {
        throw new CheckpointError('Cancelled', b.path, 'comparison cancelled');
      }
      const before = finished;
      take(
        index,
        await comparePair(pair, a.sources, b.sources, {
          ...options,
          onElements: (n) => options.onProgress?.(before + n, total),
        }),
      );
    }
  }
  const pairs: PairResult[] = [];
  const findings: DiffFinding[] = [];
  const errors: DiffError[] = [];
  // Assembled in plan order whatever order the pairs finished in (threads): the same report.
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome === null) {
      throw new Error(`pair ${plan.pairs[index].name} was never compared`);
    }
    pairs.push(outcome.result);
    appendAll(findings, outcome.findings);
    appendAll(errors, outcome.errors);
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
  appendAll(findings, await siblingFindings(ia, a.sources, ib, b.sources));
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
