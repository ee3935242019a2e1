import { readGlobalValues } from '../quant/decode/global-values';
import type { QuantModule } from '../quant/quant-types';
import type { SourceMap } from '../quant/stream/read-exact';
import type { DiffFinding } from './diff-types';
import type { SideIndex } from './diff-side';

/**
 * Modules that serving engines fuse into one GEMM (vLLM's qkv_proj and gate_up_proj), which then
 * run with one NVFP4 global scale: siblings whose global scales differ on one side but not
 * on the other point at an exporter that did not unify them.
 */
export const SIBLING_SETS: readonly (readonly string[])[] = [
  ['q_proj', 'k_proj', 'v_proj'],
  ['gate_proj', 'up_proj'],
];

/** Relative difference under which two float32 global scales count as the same value. */
export const SIBLING_SCALE_TOLERANCE = 1e-6;

function lastSegmentOf(prefix: string): { parent: string; leaf: string } {
  const dot = prefix.lastIndexOf('.');
  return { parent: prefix.slice(0, dot + 1), leaf: prefix.slice(dot + 1) };
}

/**
 * The per-tensor scale a fused kernel must share: NVFP4's global scale (vLLM runs one per fused
 * layer; llm-compressor's update_fused_layer_weight_global_scales unifies them for that reason).
 * FP8 per-tensor siblings are left out: vLLM requantizes them to their largest scale at load.
 */
async function sharedScale(module: QuantModule, sources: SourceMap): Promise<number | null> {
  const ref = module.scheme === 'nvfp4' ? module.tensors.globalScale : undefined;
  if (ref === undefined || ref.info.elements !== 1) {
    return null;
  }
  const values = await readGlobalValues(sources, ref);
  return values === null ? null : values[0];
}

async function siblingValues(
  side: SideIndex,
  sources: SourceMap,
  parent: string,
  set: readonly string[],
): Promise<(number | null)[] | null> {
  const modules = set.map((leaf) => side.modules.get(parent + leaf));
  if (modules.some((m) => m === undefined)) {
    return null;
  }
  const out: (number | null)[] = [];
  for (const m of modules) {
    out.push(m === undefined ? null : await sharedScale(m, sources));
  }
  return out.some((v) => v === null) ? null : out;
}

function differ(values: readonly (number | null)[]): boolean {
  const nums = values.filter((v): v is number => v !== null);
  const lo = nums.reduce((m, v) => Math.min(m, v), Infinity);
  const hi = nums.reduce((m, v) => Math.max(m, v), -Infinity);
  return hi - lo > SIBLING_SCALE_TOLERANCE * Math.max(Math.abs(hi), Math.abs(lo));
}

function text(values: readonly (number | null)[] | null): string {
  return values === null
    ? 'not quantized'
    : values.map((v) => (v === null ? '?' : v.toPrecision(4))).join(' / ');
}

/**
 * Compares the shared scales of fusable siblings (q/k/v, gate/up) on each side; reports a set whose
 * scales differ on a side (with both sides' values). Reads only the scalar scale tensors.
 */
export async function siblingFindings(
  a: SideIndex,
  aSources: SourceMap,
  b: SideIndex,
  bSources: SourceMap,
): Promise<DiffFinding[]> {
  const findings: DiffFinding[] = [];
  const parents = new Set<string>();
  for (const prefix of [...a.modules.keys(), ...b.modules.keys()]) {
    const { parent, leaf } = lastSegmentOf(prefix);
    if (SIBLING_SETS.some((set) => set[0] === leaf)) {
      parents.add(parent);
    }
  }
  for (const parent of [...parents].sort()) {
    for (const set of SIBLING_SETS) {
      const va = await siblingValues(a, aSources, parent, set);
      const vb = await siblingValues(b, bSources, parent, set);
      const da = va !== null && differ(va);
      const db = vb !== null && differ(vb);
      if (!da && !db) {
        continue;
      }
      const names = `${parent}{${set.join(',')}}`;
      findings.push({
        rule: 'sibling-scales',
        severity: 'warning',
        name: names,
        message: `${names}: NVFP4 global scales differ in ${da && db ? 'A and B' : da ? 'A' : 'B'} (fused kernels use one): A ${text(va)}, B ${text(vb)}`,
      });
    }
  }
  return findings;
}
