import type { Finding } from '../../core/quant/index';
import { compareFindings } from '../../core/quant/lint/lint-checkpoint';
import type { ValueStats } from '../../workers/value-stats';
import type { TensorRow } from '../model/tensor-row';

/**
 * The scanned tensors holding NaN/Inf, with their role-decoded stats (what the table and heatmap
 * show), for the worker's `valueFindings`; and a key that changes when that set or its counts do.
 */
export function nonFiniteRows(rows: readonly TensorRow[]): {
  readonly stats: ValueStats[];
  readonly key: string;
} {
  const stats: ValueStats[] = [];
  const parts: string[] = [];
  for (const row of rows) {
    const s = row.stats;
    if (row.missing === true || s === null || !s.floatLike || s.nan + s.posInf + s.negInf === 0) {
      continue;
    }
    stats.push({ file: row.fileName, tensor: row.info.name, stats: s });
    parts.push(`${row.key}:${s.nan}:${s.posInf + s.negInf}`);
  }
  return { stats, key: parts.join('\n') };
}

/**
 * `sorted` (lintCheckpoint's order) and `more` in any order as one list in that order: `more` is
 * sorted (it is the short one: tensors with NaN/Inf), then the two are merged in one pass.
 */
export function mergeFindings(sorted: readonly Finding[], more: readonly Finding[]): Finding[] {
  const a = sorted;
  const b = more.slice().sort(compareFindings);
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x: Finding | undefined = a[i];
    const y: Finding | undefined = b[j];
    if (x !== undefined && (y === undefined || compareFindings(x, y) <= 0)) {
      out.push(x);
      i += 1;
    } else if (y !== undefined) {
      out.push(y);
      j += 1;
    } else {
      break;
    }
  }
  return out;
}
