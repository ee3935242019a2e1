import type { Finding } from '../quant-types';
import { num } from './lint-input';
import type { ScaleTrend } from './scale-trend';

/**
 * A per-layer scale max this many times the first layer's is drift worth knowing about: gpt-oss-120b
 * `down_proj.scales` grow 0.6 → 548 (~900×) and the fp16 residual overflows at layer 35 (ROCm
 * hip-ep #168); healthy models stay within a few octaves.
 */
export const SCALE_DRIFT_RATIO = 100;

/**
 * scale-drift (info): a module kind whose per-layer effective-scale max rises above
 * SCALE_DRIFT_RATIO × its first layer's. Count: the layers above that line. No tensor: the finding
 * is about the module kind across layers (`module` is the kind, e.g. `mlp.down_proj`).
 */
export function scaleDrift(trends: readonly ScaleTrend[]): Finding[] {
  const out: Finding[] = [];
  for (const { role, points } of trends) {
    const first = points[0];
    let peak = first;
    let above = 0;
    for (const p of points) {
      peak = p.max > peak.max ? p : peak;
      above += p.max > SCALE_DRIFT_RATIO * first.max ? 1 : 0;
    }
    if (above === 0) {
      continue;
    }
    out.push({
      rule: 'scale-drift',
      severity: 'info',
      file: null,
      module: role,
      tensor: null,
      count: above,
      message: `the largest ${role} scale grows from ${num(first.max)} at layer ${first.layer} to ${num(peak.max)} at layer ${peak.layer} (${num(peak.max / first.max)}×): activations through these layers grow with it and can overflow F16 (65504) in the residual stream`,
    });
  }
  return out;
}
