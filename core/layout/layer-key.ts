import { matchLayer } from './layer-patterns';
import { FUSED_PARAMS, MXFP4_PARAMS, splitFusedParam, splitParam } from './param-suffixes';

/** Where a tensor sits in the model: block index, module inside the block, expert, parameter. */
export interface LayerKey {
  /** The repeated block's index, or null for tensors outside the blocks (embeddings, head, final norm). */
  readonly layer: number | null;
  /** The path between the block and the parameter, expert index removed (`mlp.experts.down_proj`). */
  readonly module: string;
  /** The MoE expert index for per-expert tensors, null otherwise (fused expert tensors included). */
  readonly expert: number | null;
  /** The trailing parameter (`weight`, `weight_scale_2`, `weight.absmax`, torchao `weight:qdata`). */
  readonly param: string;
}

/**
 * torchao's safetensors support names tensor-subclass fields `<param>:<field>` (`0.weight:qdata`,
 * `0.weight:scale`): the field stays on the parameter, the rest is parsed like any name.
 */
const TORCHAO_FIELD_SEPARATOR = ':';

/** A per-expert module segment pair: `experts.<N>` (HF MoE, Mixtral `block_sparse_moe.experts.N`). */
const EXPERT_RE = /(^|\.)experts\.(\d+)(?=\.|$)/;

/** The segment under which MoE checkpoints store fused (all-experts) tensors. */
const EXPERTS_SEGMENT = 'experts';

/**
 * Llama4 and gpt-oss (BF16) store fused expert weights as a bare parameter named after the
 * projection (`experts.gate_up_proj`): it is that projection's weight.
 */
const BARE_FUSED_PARAM = 'weight';

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function joinPath(head: string, tail: string): string {
  return head === '' ? tail : `${head}.${tail}`;
}

/** Splits the module path and parameter of a name with the block part already removed. */
function splitModuleParam(rest: string): { module: string; param: string } {
  const [path, param] = splitParam(rest);
  if (lastSegment(path) === EXPERTS_SEGMENT && path !== '') {
    const fused = splitFusedParam(param, FUSED_PARAMS);
    return fused === null
      ? { module: joinPath(path, param), param: BARE_FUSED_PARAM }
      : { module: joinPath(path, fused[0]), param: fused[1] };
  }
  const mxfp4 = splitFusedParam(param, MXFP4_PARAMS);
  if (mxfp4 !== null) {
    return { module: joinPath(path, mxfp4[0]), param: mxfp4[1] };
  }
  // A lone segment (`blocks.0.modulation`, `embedding`) names its own module.
  return { module: path === '' ? param : path, param };
}

/** Removes `experts.<N>` from a module path, returning the expert index. */
function extractExpert(module: string): { module: string; expert: number | null } {
  const match = EXPERT_RE.exec(module);
  if (match === null) {
    return { module, expert: null };
  }
  const start = match.index + match[1].length;
  const end = match.index + match[0].length;
  return {
    module: module.slice(0, start) + EXPERTS_SEGMENT + module.slice(end),
    expert: Number(match[2]),
  };
}

/** Parses a tensor name into block, module, expert and parameter. Never throws; any string is accepted. */
export function parseLayerKey(name: string): LayerKey {
  const colon = name.indexOf(TORCHAO_FIELD_SEPARATOR);
  const base = colon < 0 ? name : name.slice(0, colon);
  const field = colon < 0 ? '' : name.slice(colon);
  const layerMatch = matchLayer(base);
  const rest = layerMatch === null ? base : layerMatch.rest;
  const split = splitModuleParam(rest);
  const { module, expert } = extractExpert(split.module);
  return {
    layer: layerMatch === null ? null : layerMatch.layer,
    module: (layerMatch === null ? '' : layerMatch.modulePrefix) + module,
    expert,
    param: split.param + field,
  };
}
