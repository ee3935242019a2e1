import { assertUnreachable } from '../../dtype/dtype';
import type { QuantLayout } from '../quant-layout';
import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { num, pushTo } from './lint-input';

/**
 * Dequantized magnitudes outside this band are implausible for a trained weight (field-failures.md
 * E suggests 1e-5…1e3). The top is 1e4, not 1e3: gpt-oss-120b's healthy `down_proj` scales reach
 * 548 (ROCm hip-ep #168), so its largest MXFP4 weights are 548 × 3…6 ≈ 1.6e3…3.3e3; a U8 E8M0
 * read as linear (~450,000×) lands far above either.
 */
export const PLAUSIBLE_WEIGHT_MAX_LOW = 1e-5;
export const PLAUSIBLE_WEIGHT_MAX_HIGH = 1e4;
/**
 * A module's streamed mean |dequantized weight| outside this band is implausible (issue 13: "an
 * absolute mean … outside 1e-5…1e3"). Trained weights sit near 1e-3…1e-1 (the real ComfyUI,
 * ModelOpt and gpt-oss files' modules, clean-checkpoints.test.ts); an E8M0 bias error moves the
 * mean 4×, an E8M0 byte read as linear ~450,000×, so both leave the band from any healthy mean.
 * Only where the weight pass streams the weight (AnalyzeOptions.weights): the mean needs every
 * element; elsewhere the max the scales allow stands in (PLAUSIBLE_WEIGHT_MAX_*).
 */
export const PLAUSIBLE_WEIGHT_MEAN_LOW = 1e-5;
export const PLAUSIBLE_WEIGHT_MEAN_HIGH = 1e3;
/**
 * Below this the scales sit at their format's floor (E8M0 0x00/0x01 = 2^-127/2^-126): placeholder
 * or all-zero tensors (subnormal-scale reports the floor), not a convention error, which moves a
 * plausible scale by 4× to ~450,000× (2^2 to 2^19), never down here.
 */
export const PLACEHOLDER_MAGNITUDE = 2 ** -100;
/** A module's weight max this many times off the same module in the neighbouring layers is implausible. */
export const NEIGHBOUR_MAGNITUDE_FACTOR = 16;
/** Layers on each side compared (the same module kind and expert). */
const NEIGHBOUR_WINDOW = 2;

/** The largest code magnitude of a layout: max |weight| = largest effective scale × this. */
function largestLevel(layout: QuantLayout): number {
  switch (layout.kind) {
    case 'fp4':
      return 6;
    case 'fp8':
      return layout.weightDtype === 'F8_E4M3' ? 448 : 57344;
    case 'int4':
      // Symmetric int4 reaches 8 steps from its zero point; asymmetric ones a few more, which the
      // factor-16 comparison absorbs.
      return 8;
    case 'nf4':
      return 1;
    default:
      return assertUnreachable(layout);
  }
}

interface Magnitude {
  readonly entry: AnalysedModule;
  readonly layer: number;
  readonly max: number;
  /** The streamed mean |dequantized weight| (weight pass), or null. */
  readonly mean: number | null;
}

/** The module's streamed mean |dequantized weight|, or null (not streamed, or all zero / NaN). */
function meanOf(e: AnalysedModule): number | null {
  const m = e.analysis.weight?.absMean;
  // An all-zero weight is a placeholder (or zeroed-block's), not a convention error.
  return m === undefined || m === null || m === 0 ? null : m;
}

/** The largest dequantized magnitude the module's scales allow, or null. */
function magnitudeOf(e: AnalysedModule): number | null {
  const eff = e.analysis.effectiveScale;
  const layout = e.module.layout;
  const sentinels = (e.analysis.scale?.huge ?? 0) + (e.analysis.globalScale?.huge ?? 0);
  // Sentinel scales are scale-outlier findings already; their module's max says nothing more.
  if (eff === null || eff.max === null || layout === null || sentinels > 0) {
    return null;
  }
  const m = Math.max(Math.abs(eff.max), Math.abs(eff.min ?? 0)) * largestLevel(layout);
  return Number.isFinite(m) && m > 0 ? m : null;
}

function finding(e: AnalysedModule, what: string, why: string): Finding {
  const ref = e.module.tensors.weight;
  return {
    rule: 'implausible-magnitude',
    severity: 'warning',
    file: ref?.file ?? e.module.file,
    module: e.module.prefix,
    tensor: ref?.info.name ?? null,
    count: ref?.info.elements ?? 0,
    message: `${what}, ${why}: a scale decoded with the wrong convention (E8M0 bias, U8 read as linear) serves every weight of this module that much off`,
  };
}

/**
 * implausible-magnitude (warning): the streamed mean |dequantized weight| of a module (where the
 * weight pass ran) is outside PLAUSIBLE_WEIGHT_MEAN_LOW…HIGH, or the largest magnitude its scales
 * dequantize to (largest effective scale × largest code) is outside PLAUSIBLE_WEIGHT_MAX_LOW…HIGH,
 * or (means where both were streamed, else maxes) more than
 * NEIGHBOUR_MAGNITUDE_FACTOR off most of the same module (and expert) in the NEIGHBOUR_WINDOW
 * layers on each side. Count: the weight's elements. Linear in the modules.
 */
export function implausibleMagnitudes(entries: readonly AnalysedModule[]): Finding[] {
  const out: Finding[] = [];
  const series = new Map<string, Magnitude[]>();
  for (const entry of entries) {
    const max = magnitudeOf(entry);
    if (max === null) {
      continue;
    }
    if (max < PLACEHOLDER_MAGNITUDE) {
      continue;
    }
    const mean = meanOf(entry);
    if (mean !== null && (mean < PLAUSIBLE_WEIGHT_MEAN_LOW || mean > PLAUSIBLE_WEIGHT_MEAN_HIGH)) {
      out.push(
        finding(
          entry,
          `its weight dequantizes to a mean |w| of ${num(mean)}`,
          `outside the plausible ${num(PLAUSIBLE_WEIGHT_MEAN_LOW)}…${num(PLAUSIBLE_WEIGHT_MEAN_HIGH)}`,
        ),
      );
      continue;
    }
    if (max < PLAUSIBLE_WEIGHT_MAX_LOW || max > PLAUSIBLE_WEIGHT_MAX_HIGH) {
      out.push(
        finding(
          entry,
          `its scales dequantize the weight up to ${num(max)}`,
          `outside the plausible ${num(PLAUSIBLE_WEIGHT_MAX_LOW)}…${num(PLAUSIBLE_WEIGHT_MAX_HIGH)}`,
        ),
      );
      continue;
    }
    const { key } = entry.module;
    if (key.layer !== null) {
      pushTo(series, `${key.module}|${key.expert ?? ''}`, { entry, layer: key.layer, max, mean });
    }
  }
  for (const list of series.values()) {
    list.sort((a, b) => a.layer - b.layer);
    for (let i = 0; i < list.length; i++) {
      let compared = 0;
      let off = 0;
      for (let j = i - NEIGHBOUR_WINDOW; j <= i + NEIGHBOUR_WINDOW; j++) {
        if (j === i || j < 0 || j >= list.length) {
          continue;
        }
        compared++;
        // Means where both weights were streamed (what the issue compares), else the maxes.
        const a = list[i];
        const b = list[j];
        const ratio = a.mean !== null && b.mean !== null ? a.mean / b.mean : a.max / b.max;
        off += ratio > NEIGHBOUR_MAGNITUDE_FACTOR || ratio < 1 / NEIGHBOUR_MAGNITUDE_FACTOR ? 1 : 0;
      }
      if (compared >= 2 && off * 2 > compared) {
        const self = list[i];
        out.push(
          finding(
            self.entry,
            self.mean === null
              ? `its scales dequantize the weight up to ${num(self.max)}`
              : `its weight dequantizes to a mean |w| of ${num(self.mean)} (max ${num(self.max)})`,
            `more than ${NEIGHBOUR_MAGNITUDE_FACTOR}× off ${off} of the ${compared} neighbouring layers' ${self.entry.module.key.module}`,
          ),
        );
      }
    }
  }
  return out;
}
