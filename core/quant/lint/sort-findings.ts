import type { Finding } from '../quant-types';

/**
 * Sorts `findings` in place by `compare`, as `findings.sort(compare)` does (stable: findings that
 * compare equal keep their order). A first pass swaps each adjacent pair that is strictly out of
 * order, which leaves the stable result unchanged (no two equal findings pass each other) but
 * gives the sort long runs: the rules emit a module's findings together, modules in name order,
 * and a module's global-scale finding before its input-scale one, so 100,000 experts came as
 * 200,000 runs of one or two (~1,000,000 comparisons of names; ~420,000 after the pass).
 */
export function sortFindings(
  findings: Finding[],
  compare: (a: Finding, b: Finding) => number,
): Finding[] {
  for (let i = 0; i + 1 < findings.length; i++) {
    const a = findings[i];
    const b = findings[i + 1];
    if (compare(a, b) > 0) {
      findings[i] = b;
      findings[i + 1] = a;
      // The pair is in order now; the next pair starts after it (b is not compared twice).
      i++;
    }
  }
  return findings.sort(compare);
}
