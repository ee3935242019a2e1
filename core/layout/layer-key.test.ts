import { describe, expect, it } from 'vitest';
import { parseLayerKey } from './layer-key';
import type { LayerKey } from './layer-key';

type Row = readonly [
  name: string,
  layer: number | null,
  module: string,
  expert: number | null,
  param: string,
];

/** Real tensor names (formats.md §4, real-checkpoints/*, public model cards) -> expected keys. */
const NAMES: readonly Row[] = [
  // Llama / Qwen / Mistral (HF)
  ['model.embed_tokens.weight', null, 'model.embed_tokens', null, 'weight'],
  ['model.layers.0.self_attn.q_proj.weight', 0, 'self_attn.q_proj', null, 'weight'],
  ['model.layers.12.self_attn.k_proj.bias', 12, 'self_attn.k_proj', null, 'bias'],
  ['model.layers.3.mlp.down_proj.weight', 3, 'mlp.down_proj', null, 'weight'],
  ['model.layers.31.input_layernorm.weight', 31, 'input_layernorm', null, 'weight'],
  ['model.layers.5.self_attn.q_norm.weight', 5, 'self_attn.q_norm', null, 'weight'],
  ['model.norm.weight', null, 'model.norm', null, 'weight'],
  ['lm_head.weight', null, 'lm_head', null, 'weight'],
  // ModelOpt NVFP4 / FP8
  ['model.layers.7.mlp.gate_proj.weight_scale', 7, 'mlp.gate_proj', null, 'weight_scale'],
  ['model.layers.7.mlp.gate_proj.weight_scale_2', 7, 'mlp.gate_proj', null, 'weight_scale_2'],
  ['model.layers.7.self_attn.o_proj.input_scale', 7, 'self_attn.o_proj', null, 'input_scale'],
  ['model.layers.2.self_attn.k_proj.k_scale', 2, 'self_attn.k_proj', null, 'k_scale'],
  [
    'model.layers.1.feed_forward.experts.gate_up_proj_weight_scale_2',
    1,
    'feed_forward.experts.gate_up_proj',
    null,
    'weight_scale_2',
  ],
  // compressed-tensors
  ['model.layers.4.mlp.up_proj.weight_packed', 4, 'mlp.up_proj', null, 'weight_packed'],
  ['model.layers.4.mlp.up_proj.weight_global_scale', 4, 'mlp.up_proj', null, 'weight_global_scale'],
  ['model.layers.4.mlp.up_proj.weight_zero_point', 4, 'mlp.up_proj', null, 'weight_zero_point'],
  // Mixtral / Qwen-MoE / DeepSeek
  [
    'model.layers.0.block_sparse_moe.experts.7.w1.weight',
    0,
    'block_sparse_moe.experts.w1',
    7,
    'weight',
  ],
  ['model.layers.0.block_sparse_moe.gate.weight', 0, 'block_sparse_moe.gate', null, 'weight'],
  ['model.layers.9.mlp.experts.17.down_proj.weight', 9, 'mlp.experts.down_proj', 17, 'weight'],
  [
    'model.layers.60.mlp.experts.255.gate_proj.weight_scale_inv',
    60,
    'mlp.experts.gate_proj',
    255,
    'weight_scale_inv',
  ],
  [
    'model.layers.3.mlp.shared_experts.up_proj.weight',
    3,
    'mlp.shared_experts.up_proj',
    null,
    'weight',
  ],
  ['layers.5.ffn.experts.3.w2.weight', 5, 'ffn.experts.w2', 3, 'weight'],
  ['experts.4.gate_proj.weight', null, 'experts.gate_proj', 4, 'weight'],
  // gpt-oss (HF MXFP4, BF16, original)
  ['model.layers.0.mlp.experts.gate_up_proj_blocks', 0, 'mlp.experts.gate_up_proj', null, 'blocks'],
  ['model.layers.0.mlp.experts.gate_up_proj_scales', 0, 'mlp.experts.gate_up_proj', null, 'scales'],
  ['model.layers.0.mlp.experts.down_proj_bias', 0, 'mlp.experts.down_proj', null, 'bias'],
  ['model.layers.0.mlp.experts.down_proj', 0, 'mlp.experts.down_proj', null, 'weight'],
  ['model.layers.0.mlp.router.weight', 0, 'mlp.router', null, 'weight'],
  ['block.11.mlp.mlp1_weight.blocks', 11, 'mlp.mlp1_weight', null, 'blocks'],
  ['tensor_with_ones_scales', null, 'tensor_with_ones', null, 'scales'],
  // GPT-2 (HF and original), OPT, BERT, T5, Whisper
  ['transformer.h.11.attn.c_attn.weight', 11, 'attn.c_attn', null, 'weight'],
  ['h.0.mlp.c_fc.bias', 0, 'mlp.c_fc', null, 'bias'],
  ['transformer.wte.weight', null, 'transformer.wte', null, 'weight'],
  ['model.decoder.layers.23.fc1.weight', 23, 'fc1', null, 'weight'],
  [
    'bert.encoder.layer.2.attention.self.query.weight',
    2,
    'encoder.attention.self.query',
    null,
    'weight',
  ],
  [
    'encoder.block.3.layer.1.DenseReluDense.wi.weight',
    3,
    'encoder.layer.1.DenseReluDense.wi',
    null,
    'weight',
  ],
  [
    'decoder.block.3.layer.1.EncDecAttention.q.weight',
    3,
    'layer.1.EncDecAttention.q',
    null,
    'weight',
  ],
  ['model.encoder.layers.0.self_attn.v_proj.weight', 0, 'encoder.self_attn.v_proj', null, 'weight'],
  // VLMs
  ['language_model.model.layers.8.mlp.gate_proj.weight', 8, 'mlp.gate_proj', null, 'weight'],
  ['model.language_model.layers.8.self_attn.o_proj.weight', 8, 'self_attn.o_proj', null, 'weight'],
  // ComfyUI (real-checkpoints/comfy-nvfp4-jorismak), Flux
  ['blocks.0.ffn.0.weight_scale', 0, 'ffn.0', null, 'weight_scale'],
  ['blocks.0.self_attn.q.weight', 0, 'self_attn.q', null, 'weight'],
  ['blocks.0.self_attn.q.comfy_quant', 0, 'self_attn.q', null, 'comfy_quant'],
  ['blocks.0.modulation', 0, 'modulation', null, 'modulation'],
  ['head.head.weight', null, 'head.head', null, 'weight'],
  [
    'model.diffusion_model.double_blocks.4.img_attn.qkv.weight',
    4,
    'double_blocks.img_attn.qkv',
    null,
    'weight',
  ],
  [
    'single_transformer_blocks.2.proj_out.weight',
    2,
    'single_transformer_blocks.proj_out',
    null,
    'weight',
  ],
  ['transformer_blocks.2.attn.to_q.weight', 2, 'attn.to_q', null, 'weight'],
  // AutoAWQ / GPTQ
  ['model.layers.1.self_attn.q_proj.qweight', 1, 'self_attn.q_proj', null, 'qweight'],
  ['model.layers.1.self_attn.q_proj.qzeros', 1, 'self_attn.q_proj', null, 'qzeros'],
  ['model.layers.1.self_attn.q_proj.scales', 1, 'self_attn.q_proj', null, 'scales'],
  ['model.layers.1.self_attn.q_proj.g_idx', 1, 'self_attn.q_proj', null, 'g_idx'],
  // bitsandbytes
  ['model.layers.6.mlp.down_proj.weight.absmax', 6, 'mlp.down_proj', null, 'weight.absmax'],
  [
    'model.layers.6.mlp.down_proj.weight.quant_state.bitsandbytes__nf4',
    6,
    'mlp.down_proj',
    null,
    'weight.quant_state.bitsandbytes__nf4',
  ],
  ['model.layers.6.mlp.down_proj.SCB', 6, 'mlp.down_proj', null, 'SCB'],
  // torchao (real-checkpoints/torchao-fp8-rowwise)
  ['0.weight:qdata', null, '0', null, 'weight:qdata'],
  ['0.bias:data', null, '0', null, 'bias:data'],
  ['layer1.weight:original_weight', null, 'layer1', null, 'weight:original_weight'],
  ['model.layers.2.mlp.up_proj.weight:scale', 2, 'mlp.up_proj', null, 'weight:scale'],
  // Plain single-segment names (real-checkpoints: hadamards, mixed_f32, safetensors-cpp)
  ['embedding', null, 'embedding', null, 'embedding'],
  ['128', null, '128', null, '128'],
  ['', null, '', null, ''],
];

describe('parseLayerKey', () => {
  it.each(NAMES)('%s', (name, layer, module, expert, param) => {
    const expected: LayerKey = { layer, module, expert, param };
    expect(parseLayerKey(name)).toEqual(expected);
  });

  it('takes the leftmost block index (T5 sub-layers are not blocks)', () => {
    expect(parseLayerKey('encoder.block.0.layer.5.x.weight').layer).toBe(0);
  });

  it('needs a whole segment before the index', () => {
    expect(parseLayerKey('model.mylayers.3.weight').layer).toBeNull();
    expect(parseLayerKey('graph.3.weight').layer).toBeNull();
  });

  it('does not take a trailing number for a block index', () => {
    expect(parseLayerKey('model.layers.3')).toEqual({
      layer: null,
      module: 'model.layers',
      expert: null,
      param: '3',
    });
  });

  it('keeps names that look like prototype keys as plain strings', () => {
    expect(parseLayerKey('layers.0.__proto__.weight').module).toBe('__proto__');
  });
});
