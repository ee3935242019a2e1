import type { PairResult } from '../../core/diff/diff-types';

/** A pair's SQNR as a cell or list shows it. */
export function sqnrText(p: PairResult): string {
  if (p.identical === true) {
    return 'identical';
  }
  if (p.notCompared !== null) {
    return 'not compared';
  }
  if (p.sqnrDb !== null) {
    return `${p.sqnrDb.toFixed(1)} dB`;
  }
  return p.maxAbsError === 0 ? 'exact' : 'no SQNR';
}

export function num(v: number | null, digits = 4): string {
  return v === null ? '—' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(digits) : v.toExponential(2);
}
