import type { ScaleSummary } from '../analyze/summarize-scale';
import { SENTINEL_SCALE } from '../analyze/scale-accumulator';
import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { at, medianInPlace, num, positiveScalar, pushTo } from './lint-input';

/** Fewer siblings of one role than this give no robust median / MAD: no outlier is judged. */
export const OUTLIER_MIN_SIBLINGS = 8;
/** A log2 distance from the median above this many scaled MADs is an outlier... */
export const OUTLIER_MAD_FACTOR = 6;
/**
 * ...and above this many octaves (2^10 = 1024×) whatever the MAD: activation scales legitimately
 * grow across layers (field-failures.md J), the few layers that carry LLMs' "massive activations"
 * sit a few hundred times above the rest, and equal siblings have a MAD of 0. The faults reported
 * (a never-routed expert's near-zero amax, F32-max sentinels) are 10^5× and more away.
 */
export const OUTLIER_MIN_OCTAVES = 10;
/** MAD × this estimates a standard deviation for normal data. */
const MAD_TO_SIGMA = 1.4826;

type ScalarRole = 'globalScale' | 'inputScale' | 'scale' | 'channelMax';

const ROLE_WORDS: Readonly<Record<ScalarRole, string>> = {
  globalScale: 'global scale',
  inputScale: 'input scale',
  scale: 'per-tensor weight scale',
  channelMax: 'largest per-channel weight scale',
};

/** The largest of a per-channel (FP8 row-wise) scale tensor, finite and positive, else null. */
function channelMax(e: AnalysedModule): number | null {
  const s = e.analysis.scale;
  const max = s?.max ?? null;
  return e.module.scheme === 'fp8-channel' &&
    s !== null &&
    s.elements > 1 &&
    max !== null &&
    max > 0
    ? max
    : null;
}

interface Sample {
  readonly role: ScalarRole;
  readonly entry: AnalysedModule;
  readonly summary: ScaleSummary;
  readonly log2: number;
}

function summaryOf(
  e: AnalysedModule,
  role: Exclude<ScalarRole, 'channelMax'>,
): ScaleSummary | null {
  return e.analysis[role];
}

/** The roles a scalar sample is taken for, in the order their samples are kept. */
const SAMPLE_ROLES: readonly ScalarRole[] = ['globalScale', 'inputScale', 'scale', 'channelMax'];

/** Sentinel magnitudes (±3.4e38, E8M0 2^127) in any scale tensor, appended to `out`. */
function sentinels(e: AnalysedModule, out: Finding[]): void {
  const { scale, globalScale, inputScale } = e.analysis;
  if ((scale?.huge ?? 0) === 0 && (globalScale?.huge ?? 0) === 0 && (inputScale?.huge ?? 0) === 0) {
    // Nothing to report (nearly every module): no list of its three summaries to walk.
    return;
  }
  for (const s of [scale, globalScale, inputScale]) {
    if (s !== null && s.huge > 0) {
      const extreme = Math.max(Math.abs(s.min ?? 0), Math.abs(s.max ?? 0));
      out.push({
        rule: 'scale-outlier',
        severity: 'warning',
        ...at(e.module, s),
        count: s.huge,
        message: `${s.huge} of ${s.elements} scale values are sentinels at or above ${num(SENTINEL_SCALE)} in magnitude (up to ${num(extreme)}): a runtime multiplies them into ±Inf weights`,
      });
    }
  }
}

/**
 * scale-outlier (warning): a one-element scale (global, input, or FP8 per-tensor weight scale), or
 * the largest of an FP8 per-channel scale, that is finite and positive but far from the same role
 * of the same module kind across layers and experts (median and MAD of log2; see OUTLIER_*), and
 * any scale holding sentinel magnitudes.
 * Zero / negative scalar scales stay `bad-global-scale` errors, NaN / Inf `nan-scale` / `inf-scale`.
 * Count: 1 per outlying scalar; the sentinel values for sentinels.
 */
export function scaleOutliers(entries: readonly AnalysedModule[]): Finding[] {
  const out: Finding[] = [];
  const byRole = new Map<string, Sample[]>();
  for (const e of entries) {
    sentinels(e, out);
    for (const role of SAMPLE_ROLES) {
      const summary = summaryOf(e, role === 'channelMax' ? 'scale' : role);
      const v = role === 'channelMax' ? channelMax(e) : positiveScalar(summary);
      if (summary !== null && v !== null && v < SENTINEL_SCALE) {
        pushTo(byRole, `${role}|${e.module.key.module}`, {
          role,
          entry: e,
          summary,
          log2: Math.log2(v),
        });
      }
    }
  }
  for (const samples of byRole.values()) {
    if (samples.length < OUTLIER_MIN_SIBLINGS) {
      continue;
    }
    const median = medianInPlace(samples.map((s) => s.log2));
    const mad = medianInPlace(samples.map((s) => Math.abs(s.log2 - median)));
    const limit = Math.max(OUTLIER_MAD_FACTOR * MAD_TO_SIGMA * mad, OUTLIER_MIN_OCTAVES);
    for (const s of samples) {
      const off = s.log2 - median;
      if (Math.abs(off) > limit) {
        out.push({
          rule: 'scale-outlier',
          severity: 'warning',
          ...at(s.entry.module, s.summary),
          count: 1,
          message: `the ${ROLE_WORDS[s.role]} ${num(2 ** s.log2)} is ${num(2 ** Math.abs(off))}× ${off > 0 ? 'above' : 'below'} the median ${num(2 ** median)} of its ${samples.length} siblings (${s.entry.module.key.module} across layers and experts): the runtime scales this module's ${s.role === 'inputScale' ? 'activations' : 'weights'} by it as is`,
        });
      }
    }
  }
  return out;
}
