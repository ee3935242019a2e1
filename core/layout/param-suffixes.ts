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
    const tail = `_${suffix}`;
    if (segment.length > tail.length && segment.endsWith(tail)) {
      return [segment.slice(0, -tail.length), suffix];
    }
  }
  return null;
}

/** Splits `path.param` for the longest dotted parameter, else at the last dot (`''` when none). */
export function splitParam(path: string): readonly [string, string] {
  for (const param of DOTTED_PARAMS) {
    if (path.endsWith(`.${param}`)) {
      return [path.slice(0, -param.length - 1), param];
    }
  }
  const dot = path.lastIndexOf('.');
  return dot < 0 ? ['', path] : [path.slice(0, dot), path.slice(dot + 1)];
}
