import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { SchemeReport } from '../recognize-scheme';
import type { ExponentHistogram } from '../stream/exponent-bins';
import type { AnalysedModule } from './lint-input';
import { analysedModules, medianInPlace } from './lint-input';

/** One layer of a scale trend: the effective block scale's max and median over its modules. */
export interface TrendPoint {
  readonly layer: number;
  readonly max: number;
  /** Median of the modules' medians (each to the power of two of its histogram bin, √2 apart). */
  readonly median: number;
}

/** The per-layer trend of one module kind's effective scale (`mlp.down_proj`), by layer. */
export interface ScaleTrend {
  readonly role: string;
  readonly points: readonly TrendPoint[];
}

/** The geometric middle of the histogram bin holding the median non-zero magnitude, or null. */
export function histogramMedian(h: ExponentHistogram): number | null {
  let total = 0;
  for (const c of h.counts) {
    total += c;
  }
  if (total === 0) {
    return null;
  }
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i];
    if (seen * 2 >= total) {
      return 2 ** (h.minExponent + i + 0.5);
    }
  }
  return null;
}

interface LayerValues {
  max: number;
  readonly medians: number[];
}

/**
 * Per module kind with at least two layers: the per-layer max and median of the effective block
 * scale (block × global, what multiplies the codes), layers ascending. Linear in the modules.
 */
export function scaleTrends(entries: readonly AnalysedModule[]): ScaleTrend[] {
  const byRole = new Map<string, Map<number, LayerValues>>();
  for (const { module, analysis } of entries) {
    const eff = analysis.effectiveScale;
    const layer = module.key.layer;
    if (eff === null || eff.max === null || layer === null || !(eff.max > 0)) {
      continue;
    }
    let layers = byRole.get(module.key.module);
    if (layers === undefined) {
      layers = new Map();
      byRole.set(module.key.module, layers);
    }
    const values = layers.get(layer) ?? { max: 0, medians: [] };
    layers.set(layer, values);
    values.max = Math.max(values.max, eff.max);
    const median = histogramMedian(eff.histogram);
    if (median !== null) {
      // The bin's middle can pass the module's own extremes when they share its bin.
      values.medians.push(Math.min(eff.max, Math.max(eff.min ?? 0, median)));
    }
  }
  const out: ScaleTrend[] = [];
  for (const [role, layers] of byRole) {
    if (layers.size < 2) {
      continue;
    }
    const points = [...layers.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([layer, v]) => ({
        layer,
        max: v.max,
        median: v.medians.length === 0 ? v.max : medianInPlace(v.medians),
      }));
    out.push({ role, points });
  }
  return out.sort((a, b) => a.role.localeCompare(b.role));
}

/** The trends of a checkpoint from its report and analyses (what the app charts). */
export function checkpointScaleTrends(
  report: SchemeReport,
  analyses: readonly ModuleAnalysis[],
): ScaleTrend[] {
  return scaleTrends(analysedModules(report, analyses));
}
