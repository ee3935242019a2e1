import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { KnownCodes, ScaleSummary } from '../analyze/summarize-scale';
import type { SafetensorsHeader } from '../../format/tensor-info';
import type { TensorStats } from '../../scan/tensor-stats';
import type { SchemeReport } from '../recognize-scheme';
import type { Finding, QuantModule } from '../quant-types';

/** Plain scan results by file, then tensor name (what `scanTensor` returned). */
export type StatsByFile = ReadonlyMap<string, ReadonlyMap<string, TensorStats>>;

/** What the checkpoint-wide rules read besides the scheme report and the module analyses. */
export interface LintContext {
  /** The raw `config.json` (`quantization_config.scale_fmt`); null or absent when there is none. */
  readonly config?: unknown;
  /** Every valid file's header: tensors no runtime loads are found by name. */
  readonly headers?: readonly SafetensorsHeader[];
  /** Byte histograms the scan made (the app's page sends those of small tensors): FP8 weights. */
  readonly knownCodes?: KnownCodes;
}

/** One analysed module with the recognised module it came from. */
export interface AnalysedModule {
  readonly module: QuantModule;
  readonly analysis: ModuleAnalysis;
}

/**
 * Pairs each analysis with its module (linear). Analyses come in the report's module order (some
 * left out where a read failed), so each is first looked for at the next modules; a map of every
 * module by id is made only for an analysis not found there (100,000 experts: no map of 100,000).
 */
export function analysedModules(
  report: SchemeReport,
  analyses: readonly ModuleAnalysis[],
): AnalysedModule[] {
  const modules = report.modules;
  let byId: Map<string, QuantModule> | null = null;
  let next = 0;
  const out: AnalysedModule[] = [];
  for (const analysis of analyses) {
    let module: QuantModule | undefined;
    const ahead = Math.min(modules.length, next + IN_ORDER_LOOKAHEAD);
    for (let i = next; i < ahead && byId === null; i++) {
      if (modules[i].id === analysis.moduleId) {
        module = modules[i];
        next = i + 1;
        break;
      }
    }
    if (module === undefined) {
      byId ??= new Map(modules.map((m) => [m.id, m]));
      module = byId.get(analysis.moduleId);
    }
    if (module !== undefined) {
      out.push({ module, analysis });
    }
  }
  return out;
}

/**
 * How many modules past the last one found an analysis is looked for before the map is made: a
 * few failed reads in a row are skipped without it.
 */
const IN_ORDER_LOOKAHEAD = 4;

/** The value of a one-element scale when it is finite and positive, else null. */
export function positiveScalar(s: ScaleSummary | null): number | null {
  const v = s?.elements === 1 ? s.value : null;
  return v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
}

/** The median of some numbers (the array is sorted in place). */
export function medianInPlace(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** Appends `value` to the list under `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}

/** Where a finding about one scale tensor of a module points. */
export function at(m: QuantModule, s: ScaleSummary): Pick<Finding, 'file' | 'module' | 'tensor'> {
  return { file: s.file, module: m.prefix, tensor: s.tensor };
}

/** A short number for messages: 4 significant digits. */
export function num(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
