import type { FileResult } from '../core/report/json-report';

/**
 * Whether any scanned tensor of the file holds NaN or Inf: one pass over its stats, without a
 * lookup by name per header tensor (400,000 of them for a layer of 100,000 experts).
 */
export function anyBadValues(f: FileResult): boolean {
  for (const s of f.stats.values()) {
    if (s.nan + s.posInf + s.negInf > 0) {
      return true;
    }
  }
  return false;
}

/**
 * Whether every tensor of the file's header was scanned and none holds NaN or Inf, known without a
 * lookup per tensor. The stats are keyed by header names only (each scan stores a tensor's stats
 * under the name its header gives), so as many stats as header tensors means one for each. When
 * this is false, a pass over the header tensors in order tells which were scanned and which hold
 * NaN/Inf.
 */
export function wholeAndClean(f: FileResult): boolean {
  return f.header !== null && f.stats.size === f.header.tensors.length && !anyBadValues(f);
}
