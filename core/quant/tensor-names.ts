/**
 * The name endings that place a tensor in a quantized module (formats.md §4). A tensor named
 * `<prefix>.<suffix>` (or `<prefix>_<suffix>` for the fused forms below) belongs to the module
 * `<prefix>`; which role it plays is decided with its siblings (classify-module.ts).
 */
export type MemberSuffix =
  | 'weight'
  | 'weight_scale'
  | 'weight_scale_2'
  | 'weight_scale_inv'
  | 'input_scale'
  | 'weight_global_scale'
  | 'input_global_scale'
  | 'pre_quant_scale'
  | 'weight_packed'
  | 'weight_zero_point'
  | 'weight_g_idx'
  | 'weight_shape'
  | 'comfy_quant'
  | 'qweight'
  | 'qzeros'
  | 'scales'
  | 'g_idx'
  | 'blocks'
  | 'weight.absmax'
  | 'weight.quant_map'
  | 'weight.nested_absmax'
  | 'weight.nested_quant_map'
  | 'weight.quant_state.bitsandbytes__nf4'
  | 'weight.quant_state.bitsandbytes__fp4'
  | 'qdata'
  | 'torchao_scale';

/**
 * `<prefix>.<suffix>` endings, longest first so `weight_scale_2` wins over `weight_scale`.
 * ModelOpt, DeepSeek, compressed-tensors, ComfyUI, AutoAWQ/GPTQ, bitsandbytes and the original
 * gpt-oss checkpoint (`mlp1_weight.blocks` / `.scales`) all use dotted names.
 */
const DOTTED_SUFFIXES: readonly MemberSuffix[] = (
  [
    'weight',
    'weight_scale',
    'weight_scale_2',
    'weight_scale_inv',
    'input_scale',
    'weight_global_scale',
    'input_global_scale',
    'pre_quant_scale',
    'weight_packed',
    'weight_zero_point',
    'weight_g_idx',
    'weight_shape',
    'comfy_quant',
    'qweight',
    'qzeros',
    'scales',
    'g_idx',
    'blocks',
    'weight.absmax',
    'weight.quant_map',
    'weight.nested_absmax',
    'weight.nested_quant_map',
    'weight.quant_state.bitsandbytes__nf4',
    'weight.quant_state.bitsandbytes__fp4',
  ] as const
)
  .slice()
  .sort((a, b) => b.length - a.length);

/** gpt-oss (HF) joins MXFP4 halves with `_`: `experts.gate_up_proj_blocks` / `_scales`. */
const GPT_OSS_SUFFIXES: readonly MemberSuffix[] = ['blocks', 'scales'];

/**
 * ModelOpt names the quantizers of a non-"weight" parameter `<param>_<quantizer>`
 * (`experts.gate_up_proj_weight_scale`), and the parameter itself is the bare `<param>` tensor.
 * Longest first.
 */
const FUSED_SUFFIXES: readonly MemberSuffix[] = ['weight_scale_2', 'weight_scale', 'input_scale'];

/** The segment under which fused (all-experts) tensors live. */
const EXPERTS_SEGMENT = 'experts';

/** torchao tensor-subclass fields: `<param>:<field>` (`0.weight:qdata`, `0.weight:scale`). */
const TORCHAO_SEPARATOR = ':';
const TORCHAO_FIELDS: ReadonlyMap<string, MemberSuffix> = new Map([
  ['qdata', 'qdata'],
  ['scale', 'torchao_scale'],
]);
/** torchao keeps the parameter name (`weight`) before the field; the module is what precedes it. */
const TORCHAO_PARAM = '.weight';

/** A suffix with its separator, as a name ends (`.weight_scale`). */
interface Ending {
  readonly suffix: MemberSuffix;
  readonly ending: string;
}

/**
 * The endings built once: `memberOf` runs for every tensor of a checkpoint, and building
 * `.${suffix}` there made ~30 short strings per tensor (a million-tensor header spent much of its
 * scheme recognition allocating and collecting them).
 */
function endings(separator: string, suffixes: readonly MemberSuffix[]): readonly Ending[] {
  return suffixes.map((suffix) => ({ suffix, ending: `${separator}${suffix}` }));
}
const DOTTED_ENDINGS = endings('.', DOTTED_SUFFIXES);

/** The text after the last `.` of a name (all of it when there is none). */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * The dotted endings by the last segment of their suffix (`absmax` for `weight.absmax`), each list in
 * `DOTTED_ENDINGS` order. A name ending in `.<suffix>` has that segment after its last `.`, so the
 * endings of its own segment are all that can match: one lookup instead of ~24 `endsWith` per tensor
 * (most of a 400,000-tensor header's grouping), same first match.
 */
const DOTTED_BY_SEGMENT: ReadonlyMap<string, readonly Ending[]> = (() => {
  const out = new Map<string, Ending[]>();
  for (const e of DOTTED_ENDINGS) {
    const segment = lastSegment(e.suffix);
    const list = out.get(segment);
    if (list === undefined) {
      out.set(segment, [e]);
    } else {
      list.push(e);
    }
  }
  return out;
})();
const GPT_OSS_ENDINGS = endings('_', GPT_OSS_SUFFIXES);
const FUSED_ENDINGS = endings('_', FUSED_SUFFIXES);

const NO_ENDINGS: readonly Ending[] = [];

export interface NamedMember {
  readonly prefix: string;
  readonly suffix: MemberSuffix;
}

function parentEndsWithExperts(prefix: string): boolean {
  const dot = prefix.lastIndexOf('.');
  return dot > 0 && prefix.slice(0, dot).split('.').pop() === EXPERTS_SEGMENT;
}

/**
 * Where a tensor name sits in a quantized module, or null for names no scheme uses (biases,
 * norms, `k_scale`/`v_scale` KV-cache scales). `hasTensor` says whether a name exists in the same
 * file: a ModelOpt fused quantizer (`X_weight_scale`) counts only when `X` exists or sits under
 * `experts`, so arbitrary underscores do not make modules.
 */
export function memberOf(name: string, hasTensor: (name: string) => boolean): NamedMember | null {
  const colon = name.indexOf(TORCHAO_SEPARATOR);
  if (colon >= 0) {
    const field = TORCHAO_FIELDS.get(name.slice(colon + 1));
    if (field === undefined) {
      return null;
    }
    const base = name.slice(0, colon);
    const prefix = base.endsWith(TORCHAO_PARAM) ? base.slice(0, -TORCHAO_PARAM.length) : base;
    return { prefix, suffix: field };
  }
  for (const { suffix, ending } of DOTTED_BY_SEGMENT.get(lastSegment(name)) ?? NO_ENDINGS) {
    if (name.length > ending.length && name.endsWith(ending)) {
      return { prefix: name.slice(0, -ending.length), suffix };
    }
  }
  for (const { suffix, ending } of GPT_OSS_ENDINGS) {
    if (name.length > ending.length && name.endsWith(ending)) {
      return { prefix: name.slice(0, -ending.length), suffix };
    }
  }
  for (const { suffix, ending } of FUSED_ENDINGS) {
    if (name.length > ending.length && name.endsWith(ending)) {
      const prefix = name.slice(0, -ending.length);
      if (hasTensor(prefix) || parentEndsWithExperts(prefix)) {
        return { prefix, suffix };
      }
    }
  }
  return null;
}

/**
 * Suffixes that name scales or zero points (never a weight): alone, they are orphans. `scales` is
 * left out: alone and not U8 it is as likely a model's own layer scale (U8 `_scales` are gpt-oss's).
 */
export const SCALE_LIKE_SUFFIXES: ReadonlySet<MemberSuffix> = new Set<MemberSuffix>([
  'weight_scale',
  'weight_scale_2',
  'weight_scale_inv',
  'input_scale',
  'weight_global_scale',
  'input_global_scale',
  'qzeros',
  'weight_zero_point',
  'weight.absmax',
  'torchao_scale',
]);
