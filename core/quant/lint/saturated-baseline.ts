import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { at, medianInPlace, pushTo } from './lint-input';
import { SATURATED_SCALE_MIN_COUNT, SATURATED_SCALE_WARNING_SHARE } from './lint-values';

/**
 * Fewer saturated blocks than this are never reported against the baseline: the blocks holding a
 * tensor's amax reach the maximum by construction, a handful per tensor in a healthy export.
 */
export const SATURATED_BASELINE_MIN_COUNT = 16;
/** A module kind needs this many block-scaled modules before its median share is a baseline. */
export const SATURATED_BASELINE_MIN_MODULES = 3;
/** A saturated share this many times the clean baseline is reported... */
export const SATURATED_BASELINE_FACTOR = 3;
/**
 * ...when it is also at least this share: the real ComfyUI NVFP4 files sit near 1% without any
 * clipping, so shares below it are never reported.
 */
export const SATURATED_BASELINE_MIN_SHARE = 0.01;

/** Fewest saturated blocks a finding here needs (the fixed rule's minimum and this rule's). */
const SATURATED_REPORT_MIN_COUNT = Math.max(
  SATURATED_SCALE_MIN_COUNT,
  SATURATED_BASELINE_MIN_COUNT,
);

/** Whether a module has enough saturated block scales that it could be reported here. */
function maySaturate({ analysis }: AnalysedModule): boolean {
  const s = analysis.scale;
  return s !== null && s.elements > 0 && s.saturated >= SATURATED_REPORT_MIN_COUNT;
}

function percent(share: number): string {
  return `${(100 * share).toFixed(2)}%`;
}

/**
 * saturated-scale below the fixed share (lint-values.ts reports those above it): block scales at
 * the format's largest value counted against the clean baseline, the smaller of the median share
 * of the same module kind and the median share of the whole checkpoint (a shrunken-amax export
 * had 4.2% of its down_proj blocks at 448 and went unreported). Count: the saturated scales.
 */
export function saturatedAgainstBaseline(entries: readonly AnalysedModule[]): Finding[] {
  if (!entries.some(maySaturate)) {
    // No module has enough saturated blocks to be reported: no baselines to compute.
    return [];
  }
  const kinds = new Map<string, number[]>();
  const all: number[] = [];
  for (const { module, analysis } of entries) {
    const s = analysis.scale;
    if (s !== null && s.elements > 0) {
      const share = s.saturated / s.elements;
      pushTo(kinds, module.key.module, share);
      all.push(share);
    }
  }
  if (all.length < SATURATED_BASELINE_MIN_MODULES) {
    return [];
  }
  const overall = medianInPlace(all);
  const baselines = new Map<string, number>();
  for (const [kind, shares] of kinds) {
    const own = shares.length >= SATURATED_BASELINE_MIN_MODULES ? medianInPlace(shares) : overall;
    baselines.set(kind, Math.min(own, overall));
  }
  const out: Finding[] = [];
  for (const { module, analysis } of entries) {
    const s = analysis.scale;
    const baseline = baselines.get(module.key.module);
    if (s === null || s.elements === 0 || baseline === undefined) {
      continue;
    }
    const share = s.saturated / s.elements;
    if (
      s.saturated >= SATURATED_REPORT_MIN_COUNT &&
      share < SATURATED_SCALE_WARNING_SHARE &&
      share >= SATURATED_BASELINE_MIN_SHARE &&
      share > SATURATED_BASELINE_FACTOR * baseline
    ) {
      out.push({
        rule: 'saturated-scale',
        severity: 'warning',
        ...at(module, s),
        count: s.saturated,
        message: `${s.saturated} block scales (${percent(share)}) sit at the maximum against a clean baseline of ${percent(baseline)} for ${module.key.module}: the amax was likely shrunk and these blocks are clipped, so their largest weights are served smaller than trained`,
      });
    }
  }
  return out;
}
