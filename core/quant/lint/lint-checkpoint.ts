import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { SchemeReport } from '../recognize-scheme';
import type { Finding, QuantRole, Severity } from '../quant-types';
import type { TensorStats } from '../../scan/tensor-stats';
import { appendAll } from '../../append-all';
import { lintConfig } from './lint-config';
import { lintStructure } from './lint-structure';
import { lintValues, nonFiniteFindings } from './lint-values';

/** Plain scan results by file, then tensor name (what `scanTensor` returned). */
export type StatsByFile = ReadonlyMap<string, ReadonlyMap<string, TensorStats>>;

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
/** Roles whose NaN/Inf the plain scan can stand in for when a module was not analysed. */
const SCALE_ROLES: readonly QuantRole[] = ['scale', 'globalScale', 'inputScale'];

/** NaN / Inf of scale tensors of modules without an analysis, from the plain scan (float dtypes only). */
function fromStats(
  report: SchemeReport,
  analysed: ReadonlySet<string>,
  stats: StatsByFile,
): Finding[] {
  const out: Finding[] = [];
  for (const m of report.modules) {
    if (analysed.has(m.id)) {
      continue;
    }
    for (const role of SCALE_ROLES) {
      const ref = m.tensors[role];
      const s = ref === undefined ? undefined : stats.get(ref.file)?.get(ref.info.name);
      if (ref !== undefined && s !== undefined && s.floatLike) {
        const where = { file: ref.file, module: m.prefix, tensor: ref.info.name };
        appendAll(
          out,
          nonFiniteFindings(where, s.nan, s.posInf + s.negInf, s.elements, ref.info.dtype),
        );
      }
    }
  }
  return out;
}

function compare(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.module ?? '').localeCompare(b.module ?? '') ||
    a.rule.localeCompare(b.rule) ||
    (a.tensor ?? '').localeCompare(b.tensor ?? '')
  );
}

/**
 * Every finding about a checkpoint's quantization: structure (missing and orphan scales, shapes,
 * expert input scales), config agreement, and, from the module analyses, scale values (NaN/Inf,
 * saturation, tiny scales, bad global scales, zeroed blocks). `stats` (the plain scan) fills in
 * NaN/Inf for modules that were not analysed. Sorted by severity, file, module, rule.
 *
 * `count` per rule: scale elements for the value rules (blocks for zero-scale-nonzero-block); the
 * weight's elements for missing-scale and excluded-but-quantized; the tensor's elements for
 * orphan-scale and scale-shape; 1 for missing-input-scale; modules (or files) for config-mismatch.
 */
export function lintCheckpoint(
  report: SchemeReport,
  analyses: readonly ModuleAnalysis[],
  stats?: StatsByFile,
): Finding[] {
  const analysed = new Set(analyses.map((a) => a.moduleId));
  return [
    ...lintStructure(report),
    ...lintConfig(report),
    ...lintValues(analyses),
    ...(stats === undefined ? [] : fromStats(report, analysed, stats)),
  ].sort(compare);
}
