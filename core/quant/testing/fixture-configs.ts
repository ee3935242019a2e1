/** The configs fixtures ship with, as each toolchain writes them (formats.md §4). */

/** ModelOpt's legacy `hf_quant_config.json` for one `quant_algo`. */
export function modelOptConfig(algo: string, exclude: readonly string[] = ['lm_head']): unknown {
  return {
    producer: { name: 'modelopt', version: '0.45.0' },
    quantization: {
      quant_algo: algo,
      kv_cache_quant_algo: null,
      group_size: 16,
      exclude_modules: exclude,
    },
  };
}

/** A config.json with a `quantization_config` (or none). */
export function hfConfig(quantization: unknown = undefined): unknown {
  const base = { architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 64 };
  return quantization === undefined ? base : { ...base, quantization_config: quantization };
}

/** compressed-tensors `quantization_config` for one format and weight args. */
export function ctConfig(format: string, weights: Readonly<Record<string, unknown>>): unknown {
  return hfConfig({
    quant_method: 'compressed-tensors',
    format,
    config_groups: { group_0: { targets: ['Linear'], weights, input_activations: null } },
    ignore: ['lm_head'],
    quantization_status: 'compressed',
  });
}
