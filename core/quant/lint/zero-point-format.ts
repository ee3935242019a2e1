import type { QuantConfig } from '../read-quant-config';
import type { Finding } from '../quant-types';
import type { AnalysedModule } from './lint-input';

/** Symmetric 4-bit GPTQ's zero point is 8; the v1 format stores z - 1 = 7, v2 stores 8. */
const V1_SYMMETRIC_NIBBLE = 7;
const V2_SYMMETRIC_NIBBLE = 8;

/** The single nibble every zero point holds, or null when they differ (asymmetric). */
function onlyNibble(counts: readonly number[]): number | null {
  let only: number | null = null;
  for (let n = 0; n < counts.length; n++) {
    if (counts[n] > 0) {
      if (only !== null) {
        return null;
      }
      only = n;
    }
  }
  return only;
}

/**
 * zero-point-format (error): symmetric GPTQ `qzeros` whose nibbles say one format while the config
 * says the other: all 8 (v2) under `checkpoint_format: gptq` or none (v1: the loader adds 1, so every
 * weight is shifted by one quantization step; vLLM then serves token 0, `!!!`, vllm #38966), or all
 * 7 (v1) under `gptq_v2`. Count: the zero points.
 */
export function zeroPointFormat(
  entries: readonly AnalysedModule[],
  config: QuantConfig,
): Finding[] {
  const offset = config.kind === 'quantized' ? config.gptqZeroOffset : 1;
  const declared = offset === 1 ? 'v1 (checkpoint_format gptq, the default)' : 'v2 (gptq_v2)';
  const wrong = offset === 1 ? V2_SYMMETRIC_NIBBLE : V1_SYMMETRIC_NIBBLE;
  const out: Finding[] = [];
  for (const { module, analysis } of entries) {
    const counts = analysis.zeroPointNibbles;
    const ref = module.tensors.zeroPoint;
    if (counts === null || ref === undefined || onlyNibble(counts) !== wrong) {
      continue;
    }
    const zeros = counts[wrong];
    out.push({
      rule: 'zero-point-format',
      severity: 'error',
      file: ref.file,
      module: module.prefix,
      tensor: ref.info.name,
      count: zeros,
      message: `all ${zeros} zero points are stored as ${wrong}, the ${wrong === V2_SYMMETRIC_NIBBLE ? 'v2' : 'v1'} convention, but the config says ${declared}: the loader reads every zero point one step off, every weight is shifted by one quantization step and the model emits garbage (vLLM: token 0, "!!!")`,
    });
  }
  return out;
}
