import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { at, num, positiveScalar, pushTo } from './lint-input';

/**
 * Projections that runtimes fuse into one GEMM, by the last segment of the module path, and the
 * fused family they join: q/k/v (HF `q_proj`, Wan/ComfyUI `q`, diffusers `to_q`), gate/up and MoE
 * w1/w3 (vLLM `QKVParallelLinear`, `MergedColumnParallelLinear`, fused-MoE w13).
 */
const FUSED_FAMILIES: Readonly<Record<string, string>> = {
  q_proj: 'q/k/v',
  k_proj: 'q/k/v',
  v_proj: 'q/k/v',
  q: 'q/k/v',
  k: 'q/k/v',
  v: 'q/k/v',
  to_q: 'q/k/v',
  to_k: 'q/k/v',
  to_v: 'q/k/v',
  gate_proj: 'gate/up',
  up_proj: 'gate/up',
  w1: 'w1/w3',
  w3: 'w1/w3',
};

/**
 * Fused siblings' global scales above this max/min ratio disagree. Healthy exporters write equal
 * values (llm-compressor `update_fused_layer_weight_global_scales`, ModelOpt's fused-layer amax
 * sync), so any difference beyond float rounding (a reciprocal stored in F32: ~1e-7) is a fault.
 */
export const FUSED_GLOBAL_TOLERANCE = 1e-3;

/**
 * FP8 per-tensor `weight_scale`s of fused siblings differ in every healthy export (~1.1 in
 * ModelOpt and llm-compressor output); vLLM requantizes the shards to the largest. Only a ratio
 * above this is worth an info finding (the smaller shards lose precision, nothing breaks).
 */
export const FP8_TENSOR_SCALE_INFO_RATIO = 2;

interface Member {
  readonly entry: AnalysedModule;
  readonly value: number;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(0, i);
}

/** Groups modules by layer, parent path, fused family and expert (one key per future GEMM). */
function groups(
  entries: readonly AnalysedModule[],
  valueOf: (e: AnalysedModule) => number | null,
): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  for (const entry of entries) {
    // The value first: it is null for most modules of a scheme, and cheaper than the name's family.
    const value = valueOf(entry);
    if (value === null) {
      continue;
    }
    const { key } = entry.module;
    const family = FUSED_FAMILIES[lastSegment(key.module)];
    if (family !== undefined) {
      const id = `${key.layer ?? ''}|${parentOf(key.module)}|${family}|${key.expert ?? ''}`;
      pushTo(out, id, { entry, value });
    }
  }
  return out;
}

function describe(members: readonly Member[]): string {
  return members.map((m) => `${lastSegment(m.entry.module.key.module)} ${num(m.value)}`).join(', ');
}

function ratioOf(members: readonly Member[]): { ratio: number; min: Member; max: Member } {
  let min = members[0];
  let max = members[0];
  for (const m of members) {
    min = m.value < min.value ? m : min;
    max = m.value > max.value ? m : max;
  }
  return { ratio: max.value / min.value, min, max };
}

/** The stored global-scale tensor's name and what it means, for the message. */
function globalWords(e: AnalysedModule): string {
  return e.module.producer === 'compressed-tensors'
    ? 'weight_global_scale (stored as the reciprocal)'
    : 'weight_scale_2';
}

/**
 * fused-scale-mismatch: siblings a runtime fuses into one GEMM (q/k/v, gate/up, w1/w3, per layer
 * and expert) whose NVFP4 global scales differ (warning), or whose FP8 per-tensor weight scales
 * differ by more than FP8_TENSOR_SCALE_INFO_RATIO (info). One finding per fused group, on the
 * sibling with the smallest value; count: the siblings compared.
 */
export function fusedScaleMismatch(entries: readonly AnalysedModule[]): Finding[] {
  const out: Finding[] = [];
  const nvfp4 = groups(entries, (e) =>
    e.module.scheme === 'nvfp4' ? positiveScalar(e.analysis.globalScale) : null,
  );
  for (const members of nvfp4.values()) {
    const { ratio, min } = ratioOf(members);
    const g = min.entry.analysis.globalScale;
    if (members.length < 2 || ratio <= 1 + FUSED_GLOBAL_TOLERANCE || g === null) {
      continue;
    }
    out.push({
      rule: 'fused-scale-mismatch',
      severity: 'warning',
      ...at(min.entry.module, g),
      count: members.length,
      message: `fused siblings carry different ${globalWords(min.entry)}: ${describe(members)} (ratio ${num(ratio)}); runtimes fuse them into one GEMM with one global scale, so the other siblings are served with a scale off by up to ${num(ratio)}×`,
    });
  }
  const fp8 = groups(entries, (e) =>
    e.module.scheme === 'fp8-tensor' ? positiveScalar(e.analysis.scale) : null,
  );
  for (const members of fp8.values()) {
    const { ratio, min } = ratioOf(members);
    const s = min.entry.analysis.scale;
    if (members.length < 2 || ratio <= FP8_TENSOR_SCALE_INFO_RATIO || s === null) {
      continue;
    }
    out.push({
      rule: 'fused-scale-mismatch',
      severity: 'info',
      ...at(min.entry.module, s),
      count: members.length,
      message: `fused FP8 siblings' per-tensor weight scales differ: ${describe(members)} (ratio ${num(ratio)}); vLLM requantizes them to the largest, so the smaller siblings lose up to ${num(Math.log2(ratio))} bits of precision`,
    });
  }
  return out;
}
