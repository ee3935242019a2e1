import type { FnuzTensorCounts } from '../../core/quant/lint/fnuz-portability';
import { fnuzCounts } from '../../core/quant/lint/fnuz-portability';
import type { Finding } from '../../core/quant/index';
import type { TensorRow } from '../model/tensor-row';
import { mergeFindings } from './value-findings';

/**
 * The two fnuz-portability counts (bytes 0x80, |x| > 240) of every scanned F8_E4M3 tensor, from
 * its byte histogram (kept by every scan), for the worker's `fnuzFindings`; and a key that changes
 * when the set or its counts do. Two numbers per tensor: small whatever the checkpoint.
 */
export function fnuzRows(rows: readonly TensorRow[]): {
  readonly counts: FnuzTensorCounts[];
  readonly key: string;
} {
  const counts: FnuzTensorCounts[] = [];
  let negZero = 0;
  let large = 0;
  for (const row of rows) {
    const h = row.stats?.histogram;
    if (row.missing === true || row.info.dtype !== 'F8_E4M3' || h?.kind !== 'codes') {
      continue;
    }
    if (h.bits !== 8 || h.counts.length !== 256) {
      continue;
    }
    const c = fnuzCounts(h.counts);
    counts.push({ file: row.fileName, tensor: row.info.name, ...c });
    negZero += c.negZero;
    large += c.large;
  }
  return { counts, key: `${counts.length}:${negZero}:${large}` };
}

/** `findings` with its fnuz-portability finding (if any) replaced by `fnuz` (lintCheckpoint's order). */
export function withFnuzFinding(findings: readonly Finding[], fnuz: readonly Finding[]): Finding[] {
  return mergeFindings(
    findings.filter((f) => f.rule !== 'fnuz-portability'),
    fnuz,
  );
}
