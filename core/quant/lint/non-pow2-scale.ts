import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';
import { at } from './lint-input';

/** The `scale_fmt` value that promises power-of-two scales (DeepSeek-V3.1+ `quantization_config`). */
const POW2_SCALE_FORMAT = 'ue8m0';

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Whether `config.json` declares power-of-two scales (`quantization_config.scale_fmt: ue8m0`). */
export function declaresPow2Scales(config: unknown): boolean {
  return get(get(config, 'quantization_config'), 'scale_fmt') === POW2_SCALE_FORMAT;
}

/**
 * non-pow2-scale (error): the config declares `scale_fmt: ue8m0` but an F32/BF16 block scale has
 * mantissa bits. Kernels that take the scale as a UE8M0 exponent (DeepGEMM, SGLang's fp8 einsum)
 * keep only the exponent: ~25% wrong outputs with no error (sglang #39193, #25733).
 * Count: the scales with mantissa bits.
 */
export function nonPow2Scales(entries: readonly AnalysedModule[], config: unknown): Finding[] {
  if (!declaresPow2Scales(config)) {
    return [];
  }
  const out: Finding[] = [];
  for (const { module, analysis } of entries) {
    const s = analysis.scale;
    if (s === null || s.encoding !== 'float' || s.nonPow2 === 0) {
      continue;
    }
    out.push({
      rule: 'non-pow2-scale',
      severity: 'error',
      ...at(module, s),
      count: s.nonPow2,
      message: `config.json declares scale_fmt ue8m0 but ${s.nonPow2} of ${s.elements} ${s.dtype} scales are not powers of two: kernels that read them as UE8M0 exponents drop the mantissa and serve those blocks up to 2× off`,
    });
  }
  return out;
}
