import { appendAll } from '../../append-all';
import type { ModuleAnalysis } from '../analyze/analyze-module';
import type { ScaleSummary } from '../analyze/summarize-scale';
import type { Finding } from '../quant-types';

/**
 * A block-scale share at the maximum above which clipping is suspected (saturated-scale). One
 * block at 448 is expected (the block holding the global amax when global = amax / (6·448)); the
 * real ComfyUI files sit near 1% with no clipping (their source is capped at the global amax).
 */
export const SATURATED_SCALE_WARNING_SHARE = 0.05;
/** Fewer saturated scales than this are never reported, whatever the share. */
export const SATURATED_SCALE_MIN_COUNT = 2;

/** How the scale is stored, by its actual dtype: an F32 `weight_scale` of an NVFP4 module is F32. */
function storage(s: ScaleSummary): string {
  switch (s.dtype) {
    case 'U8':
      return s.encoding === 'float'
        ? s.dtype
        : `${s.encoding === 'e4m3' ? 'E4M3' : 'E8M0'} bytes stored as U8`;
    case 'F8_E4M3':
      return 'E4M3';
    case 'F8_E8M0':
      return 'E8M0';
    default:
      return s.dtype;
  }
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / Math.max(1, whole)).toFixed(2)}%`;
}

type Role = 'block' | 'global' | 'input';

function base(a: ModuleAnalysis, s: ScaleSummary): Pick<Finding, 'file' | 'module' | 'tensor'> {
  return { file: s.file, module: a.prefix, tensor: s.tensor };
}

/**
 * What a runtime does with an Inf input (activation) scale (compressed-tensors #595: 14 of 92,400
 * `input_global_scale` Inf in a 397B MoE, experts whose calibration amax was 0, the reciprocal
 * stored). vLLM's compressed-tensors NVFP4 MoE keeps the min over an expert's gate/up pair (over
 * every expert with FlashInfer TRT-LLM): one Inf of a pair is hidden, an Inf that survives the min
 * gives alpha = 1/Inf = 0 and activations quantized with an Inf scale.
 */
export const INF_INPUT_SCALE_EFFECT =
  "the runtime quantizes the activations routed here with it: an Inf that survives vLLM's min over the gate/up pair (over all experts with FlashInfer TRT-LLM) gives alpha = 1/Inf = 0 and those tokens come out zero or NaN; compressed-tensors writes it for an expert never routed in calibration (amax 0): set it to its siblings' value";

/** nan-scale / inf-scale: any NaN or Inf in any scale tensor, whatever its storage dtype. */
export function nonFiniteFindings(
  where: Pick<Finding, 'file' | 'module' | 'tensor'>,
  nan: number,
  inf: number,
  elements: number,
  what: string,
  infEffect?: string,
): Finding[] {
  const out: Finding[] = [];
  if (nan > 0) {
    out.push({
      rule: 'nan-scale',
      severity: 'error',
      ...where,
      count: nan,
      message: `${nan} NaN of ${elements} scale values (${what}): every weight they scale dequantizes to NaN`,
    });
  }
  if (inf > 0) {
    out.push({
      rule: 'inf-scale',
      severity: 'error',
      ...where,
      count: inf,
      message: `${inf} Inf of ${elements} scale values (${what})${infEffect === undefined ? '' : `: ${infEffect}`}`,
    });
  }
  return out;
}

/**
 * Appends the findings of one scale tensor to `out`. Each finding is one object literal with the
 * fields in `base` order, and nothing is made for a clean scale: one module of 100,000 experts
 * made a `where`, a list per rule family and a spread copy per finding.
 */
function scaleFindings(out: Finding[], a: ModuleAnalysis, s: ScaleSummary, role: Role): void {
  const file = s.file;
  const module = a.prefix;
  const tensor = s.tensor;
  if (s.nan > 0 || s.posInf + s.negInf > 0) {
    appendAll(
      out,
      nonFiniteFindings(
        base(a, s),
        s.nan,
        s.posInf + s.negInf,
        s.elements,
        storage(s),
        role === 'input' ? INF_INPUT_SCALE_EFFECT : undefined,
      ),
    );
  }
  if (role === 'block') {
    if (
      s.saturated >= SATURATED_SCALE_MIN_COUNT &&
      s.saturated >= SATURATED_SCALE_WARNING_SHARE * s.elements
    ) {
      out.push({
        rule: 'saturated-scale',
        severity: 'warning',
        file,
        module,
        tensor,
        count: s.saturated,
        message: `${s.saturated} block scales (${percent(s.saturated, s.elements)}) sit at the ${storage(s)} maximum: a share this high hints at clipping`,
      });
    }
    if (s.subnormal > 0) {
      out.push({
        rule: 'subnormal-scale',
        severity: 'info',
        file,
        module,
        tensor,
        count: s.subnormal,
        message: `${s.subnormal} block scales (${percent(s.subnormal, s.elements)}) are at or below the smallest subnormal of ${storage(s)}: those blocks dequantize to almost nothing`,
      });
    }
    return;
  }
  const bad = s.zero + s.negative;
  if (bad > 0) {
    out.push({
      rule: 'bad-global-scale',
      severity: 'error',
      file,
      module,
      tensor,
      count: bad,
      message: `the ${role} scale is ${s.value === null ? `zero or negative in ${bad} of ${s.elements} values` : String(s.value)}: must be finite and positive`,
    });
  }
  if (s.subnormal > 0) {
    out.push({
      rule: 'subnormal-scale',
      severity: 'warning',
      file,
      module,
      tensor,
      count: s.subnormal,
      message: `the ${role} scale is subnormal in ${s.dtype} (${s.value ?? `${s.subnormal} values`}): its reciprocal overflows`,
    });
  }
}

/** Findings from the streamed scale (and weight) values of each analysed module. */
export function lintValues(analyses: readonly ModuleAnalysis[]): Finding[] {
  const out: Finding[] = [];
  for (const a of analyses) {
    if (a.scale !== null) {
      scaleFindings(out, a, a.scale, 'block');
    }
    if (a.globalScale !== null) {
      scaleFindings(out, a, a.globalScale, 'global');
    }
    if (a.inputScale !== null) {
      scaleFindings(out, a, a.inputScale, 'input');
    }
    const w = a.weight;
    if (w !== null && w.zeroScaleBlocks > 0 && a.scale !== null) {
      out.push({
        rule: 'zero-scale-nonzero-block',
        severity: 'warning',
        ...base(a, a.scale),
        count: w.zeroScaleBlocks,
        message: `${w.zeroScaleBlocks} zero block scales sit over non-zero codes (${w.zeroedCodes} codes): those blocks are silently zeroed`,
      });
    }
  }
  return out;
}
