import type { Finding } from '../quant-types';
import type { KnownCodes } from '../analyze/summarize-scale';
import type { QuantModule } from '../quant-types';
import type { ModuleLookup } from '../module-lookup';
import type { AnalysedModule, StatsByFile } from './lint-input';
import { num } from './lint-input';

/** E4M3FN byte 0x80 (-0): the NaN encoding of e4m3fnuz (MI300, Gaudi). */
const NEGATIVE_ZERO = 0x80;
/** E4M3FN magnitudes 0x78..0x7E are 256..448: above e4m3fnuz's largest finite value, 240. */
const ABOVE_FNUZ_MAX_FIRST = 0x78;
const ABOVE_FNUZ_MAX_LAST = 0x7e;

/** The 256-bin byte histogram of the module's F8_E4M3 weight, from the weight pass or the scan. */
function weightCodes(
  e: AnalysedModule,
  stats: StatsByFile | undefined,
  known: KnownCodes | undefined,
): ArrayLike<number> | null {
  const ref = e.module.tensors.weight;
  if (ref === undefined || ref.info.dtype !== 'F8_E4M3') {
    return null;
  }
  const w = e.analysis.weight;
  if (w !== null && w.codeKind === 'fp8' && w.codes.length === 256) {
    return w.codes;
  }
  const h = stats?.get(ref.file)?.get(ref.info.name)?.histogram;
  if (h?.kind === 'codes' && h.bits === 8) {
    return h.counts;
  }
  const counts = known?.(ref.file, ref.info.name);
  return counts !== undefined && counts.length === 256 ? counts : null;
}

/** One F8_E4M3 weight's bytes that e4m3fnuz cannot hold (two numbers, all the rule needs). */
export interface FnuzWeightCounts {
  readonly file: string;
  readonly module: string;
  readonly tensor: string;
  /** Bytes 0x80 (-0, NaN in e4m3fnuz). */
  readonly negZero: number;
  /** Bytes with |x| > 240 (0x78..0x7E of either sign: 256..448). */
  readonly large: number;
}

/** The same counts of a scanned tensor, before it is known to be a module's weight (the app's). */
export type FnuzTensorCounts = Omit<FnuzWeightCounts, 'module'>;

/** The two counts of a 256-bin byte histogram of an F8_E4M3 tensor. */
export function fnuzCounts(codes: ArrayLike<number>): { negZero: number; large: number } {
  let large = 0;
  for (let c = ABOVE_FNUZ_MAX_FIRST; c <= ABOVE_FNUZ_MAX_LAST; c++) {
    large += codes[c] + codes[c | 0x80];
  }
  return { negZero: codes[NEGATIVE_ZERO], large };
}

/**
 * fnuz-portability (info, one finding per checkpoint): F8_E4M3 weights holding 0x80 (-0, NaN on
 * e4m3fnuz hardware: MI300, Gaudi) or magnitudes above 240. vLLM / SGLang convert such
 * checkpoints (`normalize_e4m3fn_to_e4m3fnuz`: 0x80 to 0, scales doubled); other stacks may not
 * (Gaudi2 NaN, vllm-hpu-extension #305). Every FP8 export that maps its amax to 448 has such
 * bytes, so this is a note for FNUZ users, not a fault. Needs the weights' byte histograms (weight
 * pass, or a scan: every scan keeps them for F8_E4M3, see histogramTensors). Count: such bytes
 * over all weights; tensor: the one with most.
 */
export function fnuzPortability(
  entries: readonly AnalysedModule[],
  stats: StatsByFile | undefined,
  known?: KnownCodes,
): Finding[] {
  const weights: FnuzWeightCounts[] = [];
  for (const e of entries) {
    const codes = weightCodes(e, stats, known);
    const ref = e.module.tensors.weight;
    if (codes !== null && ref !== undefined) {
      weights.push({
        file: ref.file,
        module: e.module.prefix,
        tensor: ref.info.name,
        ...fnuzCounts(codes),
      });
    }
  }
  return fnuzFinding(weights);
}

/** The fnuz-portability finding of some F8_E4M3 weights' counts (none when every count is 0). */
export function fnuzFinding(weights: Iterable<FnuzWeightCounts>): Finding[] {
  let negZero = 0;
  let large = 0;
  let tensors = 0;
  let worst: { file: string; module: string; tensor: string; count: number } | null = null;
  for (const w of weights) {
    const count = w.negZero + w.large;
    if (count === 0) {
      continue;
    }
    negZero += w.negZero;
    large += w.large;
    tensors++;
    if (worst === null || count > worst.count) {
      worst = { file: w.file, module: w.module, tensor: w.tensor, count };
    }
  }
  if (worst === null) {
    return [];
  }
  return [
    {
      rule: 'fnuz-portability',
      severity: 'info',
      file: worst.file,
      module: worst.module,
      tensor: worst.tensor,
      count: negZero + large,
      message: `${tensors} F8_E4M3 weight tensor(s) hold ${negZero} bytes 0x80 (-0, NaN in e4m3fnuz) and ${large} with |x| > 240 (beyond e4m3fnuz; most in ${worst.tensor}: ${num(worst.count)}): fine on NVIDIA; on MI300 / Gaudi the loader must convert them (vLLM zeroes -0 and doubles the scales) or they become NaN / clipped`,
    },
  ];
}

/**
 * The fnuz-portability finding from scanned tensors' counts (the app's page sends them after the
 * scan): only the F8_E4M3 weights of `modules` count, as in `fnuzPortability` (an NVFP4 module's
 * F8_E4M3 block scales, which reach 448 by design, never do).
 */
export function fnuzFindingOfTensors(
  modules: readonly QuantModule[],
  lookup: ModuleLookup,
  counts: Iterable<FnuzTensorCounts>,
): Finding[] {
  const weights: FnuzWeightCounts[] = [];
  for (const c of counts) {
    const index = lookup.indexOf(c.file, c.tensor);
    const module = index === null ? undefined : modules[index];
    const ref = module?.tensors.weight;
    if (
      module !== undefined &&
      ref?.file === c.file &&
      ref.info.name === c.tensor &&
      ref.info.dtype === 'F8_E4M3'
    ) {
      weights.push({ ...c, module: module.prefix });
    }
  }
  return fnuzFinding(weights);
}
