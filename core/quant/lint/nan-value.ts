import type { SchemeReport } from '../recognize-scheme';
import type { Finding, QuantRole } from '../quant-types';
import type { StatsByFile } from './lint-input';

/** Roles whose NaN / Inf are `nan-scale` / `inf-scale` (decoded by role): not repeated here. */
const SCALE_ROLES: readonly QuantRole[] = ['scale', 'globalScale', 'inputScale'];

function moduleOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(0, i);
}

/** Every quantized module's scale tensors, keyed by file and name. */
function scaleKeys(report: Pick<SchemeReport, 'modules'>): Set<string> {
  const scales = new Set<string>();
  for (const m of report.modules) {
    for (const role of SCALE_ROLES) {
      const ref = m.tensors[role];
      if (ref !== undefined) {
        scales.add(`${ref.file}\n${ref.info.name}`);
      }
    }
  }
  return scales;
}

/**
 * nan-value / inf-value (error): NaN or ±Inf, from the plain scan, in every tensor that is not a
 * quantized module's scale (weights, norms, embeddings, zero points, orphans...), so the findings
 * alone list everything wrong. Count: the NaN (Inf) elements of the tensor.
 */
export function nonFiniteValues(
  report: Pick<SchemeReport, 'modules'>,
  stats: StatsByFile,
): Finding[] {
  // The scale tensors by file and name, built at the first tensor holding NaN/Inf: a clean
  // checkpoint of 100,000 modules does not key 300,000 of them for nothing.
  let scales: Set<string> | null = null;
  const isScale = (file: string, name: string): boolean => {
    scales ??= scaleKeys(report);
    return scales.has(`${file}\n${name}`);
  };
  const out: Finding[] = [];
  // forEach, not for-of over entries: no [name, stats] pair made per tensor (400,000 of them).
  stats.forEach((byName, file) => {
    byName.forEach((s, name) => {
      if (!s.floatLike || s.nan + s.posInf + s.negInf === 0 || isScale(file, name)) {
        return;
      }
      const where = { file, module: moduleOf(name), tensor: name };
      const first = (indices: readonly number[]): string =>
        indices.length === 0 ? '' : ` (first at flat index ${indices[0]})`;
      if (s.nan > 0) {
        out.push({
          rule: 'nan-value',
          severity: 'error',
          ...where,
          count: s.nan,
          message: `${s.nan} NaN of ${s.elements} ${s.dtype} values${first(s.nanIndices)}: every output that reads them is NaN, and NaN spreads through every later layer`,
        });
      }
      const inf = s.posInf + s.negInf;
      if (inf > 0) {
        out.push({
          rule: 'inf-value',
          severity: 'error',
          ...where,
          count: inf,
          message: `${inf} Inf of ${s.elements} ${s.dtype} values${first(s.infIndices)}: a matmul over them gives Inf, then NaN (Inf − Inf) in the next normalisation`,
        });
      }
    });
  });
  return out;
}
