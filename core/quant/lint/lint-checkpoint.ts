import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { SchemeReport } from '../recognize-scheme';
import type { Finding, QuantRole, Severity } from '../quant-types';
import { appendAll } from '../../append-all';
import { fnuzPortability } from './fnuz-portability';
import { fusedScaleMismatch } from './fused-scale-mismatch';
import { implausibleMagnitudes } from './implausible-magnitude';
import { lintConfig } from './lint-config';
import type { AnalysedModule, LintContext, StatsByFile } from './lint-input';
import { analysedModules } from './lint-input';
import { lintStructure } from './lint-structure';
import { lintValues, nonFiniteFindings } from './lint-values';
import { nonFiniteValues } from './nan-value';
import { nonPow2Scales } from './non-pow2-scale';
import { saturatedAgainstBaseline } from './saturated-baseline';
import { scaleDrift } from './scale-drift';
import { scaleOutliers } from './scale-outlier';
import { scaleTrends } from './scale-trend';
import { sortFindings } from './sort-findings';
import { unexpectedTensors } from './unexpected-tensor';
import { zeroedBlocks } from './zeroed-block';
import { zeroPointFormat } from './zero-point-format';

export type { LintContext, StatsByFile } from './lint-input';

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

/**
 * Whether every module of the report has an analysis (the entries pair them in module order):
 * then `fromStats` has nothing to stand in for, and no set of 100,000 ids is made to find that.
 */
function everyModuleIn(entries: readonly AnalysedModule[], report: SchemeReport): boolean {
  const modules = report.modules;
  if (entries.length !== modules.length) {
    return false;
  }
  for (let i = 0; i < modules.length; i++) {
    if (entries[i].module !== modules[i]) {
      return false;
    }
  }
  return true;
}

/** The findings' order: severity, file, module, rule, tensor (lintCheckpoint's, and the app's merge). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.module ?? '').localeCompare(b.module ?? '') ||
    a.rule.localeCompare(b.rule) ||
    (a.tensor ?? '').localeCompare(b.tensor ?? '')
  );
}

/**
 * Every finding about a checkpoint: structure (missing and orphan scales, shapes, expert input
 * scales, tensors no runtime loads), config agreement (zero-point format, power-of-two scales), and,
 * from the module analyses, scale values (NaN/Inf, saturation against the fixed share and the
 * module kind's baseline, tiny, bad, outlying and sentinel scales, fused siblings' global scales,
 * drift across layers, implausible magnitudes, zeroed blocks, FNUZ portability). `stats` (the
 * plain scan) fills in NaN/Inf for scales of modules that were not analysed, and gives NaN/Inf of
 * every other tensor (`nan-value` / `inf-value`). Sorted by severity, file, module, rule. Linear
 * in the number of tensors and modules (sorting aside).
 *
 * `count` per rule: see the README's rules table (scale elements for the value rules, blocks for
 * zero-scale-nonzero-block, the weight's elements for missing-scale, excluded-but-quantized and
 * implausible-magnitude, the tensor's elements for orphan-scale, scale-shape and
 * unexpected-tensor, 1 for missing-input-scale, modules or files for config-mismatch).
 */
export function lintCheckpoint(
  report: SchemeReport,
  analyses: readonly ModuleAnalysis[],
  stats?: StatsByFile,
  context: LintContext = {},
): Finding[] {
  const entries = analysedModules(report, analyses);
  const out: Finding[] = [];
  for (const part of [
    lintStructure(report),
    lintConfig(report),
    lintValues(analyses),
    stats === undefined || everyModuleIn(entries, report)
      ? []
      : fromStats(report, new Set(analyses.map((a) => a.moduleId)), stats),
    stats === undefined ? [] : nonFiniteValues(report, stats),
    unexpectedTensors(context.headers ?? [], report.modules.length > 0),
    fusedScaleMismatch(entries),
    scaleOutliers(entries),
    saturatedAgainstBaseline(entries),
    zeroPointFormat(entries, report.config),
    nonPow2Scales(entries, context.config),
    fnuzPortability(entries, stats, context.knownCodes),
    implausibleMagnitudes(entries),
    zeroedBlocks(entries),
    scaleDrift(scaleTrends(entries)),
  ]) {
    appendAll(out, part);
  }
  return sortFindings(out, compareFindings);
}
