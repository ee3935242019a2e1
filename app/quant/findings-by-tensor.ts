import type { TensorRow } from '../model/tensor-row';
import type { QuantSummary } from '../../workers/quant-summary';

/** Rows with the number of quantization findings that name each tensor (for colour and filters). */
export function attachFindings(
  rows: readonly TensorRow[],
  quant: QuantSummary | null,
): readonly TensorRow[] {
  if (quant === null || quant.findings.length === 0) {
    return rows;
  }
  const counts = new Map<string, number>();
  for (const f of quant.findings) {
    if (f.file !== null && f.tensor !== null) {
      const key = `${f.file}\u0000${f.tensor}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return rows.map((r) => {
    const n = counts.get(`${r.fileName}\u0000${r.info.name}`);
    return n === undefined ? r : { ...r, findings: n };
  });
}

/** Files holding NaN/Inf in a scale decoded by role: they need a repair even if no stored dtype shows NaN. */
export function faultyScaleFiles(quant: QuantSummary | null): ReadonlySet<string> {
  const files = new Set<string>();
  for (const f of quant?.findings ?? []) {
    if ((f.rule === 'nan-scale' || f.rule === 'inf-scale') && f.file !== null) {
      files.add(f.file);
    }
  }
  return files;
}
