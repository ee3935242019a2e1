/**
 * Parameter names that quantization toolchains append to a module name as more than one dotted
 * segment. A plain parameter (`weight`, `bias`, `weight_scale`, `qweight`, `scales`, `g_idx`,
 * `comfy_quant`, `k_scale`, ...) is simply the last segment and needs no entry here.
 * Sorted longest first.
 */
export const DOTTED_PARAMS: readonly string[] = [
  // bitsandbytes NF4/FP4 quant state (`QuantState.as_dict(packed=True)`).
  'weight.absmax',
  'weight.quant_map',
  'weight.nested_absmax',
  'weight.nested_quant_map',
  'weight.quant_state.bitsandbytes__nf4',
  'weight.quant_state.bitsandbytes__fp4',
].sort((a, b) => b.length - a.length);

/**
 * Parameter names that fused tensors join to their projection with `_` instead of `.`:
 * gpt-oss `experts.gate_up_proj_blocks|_scales|_bias` and ModelOpt's non-"weight" quantizers
 * (`experts.gate_up_proj_weight_scale`). Matched longest first so `down_proj_weight_scale_2`
 * splits as `down_proj` + `weight_scale_2`, not `down_proj_weight_scale` + ... .
 */
export const FUSED_PARAMS: readonly string[] = [
  'weight_scale_2',
  'weight_scale_inv',
  'weight_scale',
  'weight_global_scale',
  'input_global_scale',
  'input_scale',
  'pre_quant_scale',
  'blocks',
  'scales',
  'bias',
  'weight',
].sort((a, b) => b.length - a.length);

/**
 * gpt-oss MXFP4 pairs `<name>_blocks` / `<name>_scales` even outside MoE experts; splitting them
 * everywhere keeps both halves of one logical tensor in one cell.
 */
export const MXFP4_PARAMS: readonly string[] = ['blocks', 'scales'];

/** `down_proj_weight_scale` -> ['down_proj', 'weight_scale'] for the first suffix that fits, else null. */
export function splitFusedParam(
  segment: string,
  suffixes: readonly string[],
): readonly [string, string] | null {
  for (const suffix of suffixes) {
    // `endsWith('_' + suffix)` without building that string: a name's key is parsed per tensor (or
    // per module), and joining up to 11 strings each time was most of a 100,000-expert parse.
    const head = segment.length - suffix.length - 1;
    if (head > 0 && endsAfter(segment, head, UNDERSCORE, suffix)) {
      return [segment.slice(0, head), suffix];
    }
  }
  return null;
}

/** The separators before a fused and a dotted parameter, as char codes (compared in place). */
const UNDERSCORE = 0x5f;
const DOT = 0x2e;

/** Whether `text` holds the character `separator` at `at`, then `suffix` to its end. */
function endsAfter(text: string, at: number, separator: number, suffix: string): boolean {
  return text.charCodeAt(at) === separator && text.endsWith(suffix);
}

/** Splits `path.param` for the longest dotted parameter, else at the last dot (`''` when none). */
export function splitParam(path: string): readonly [string, string] {
  for (const param of DOTTED_PARAMS) {
    const head = path.length - param.length - 1;
    if (head >= 0 && endsAfter(path, head, DOT, param)) {
      return [path.slice(0, head), param];
    }
  }
  const dot = path.lastIndexOf('.');
  return dot < 0 ? ['', path] : [path.slice(0, dot), path.slice(dot + 1)];
}
