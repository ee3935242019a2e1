import { describe, expect, it } from 'vitest';
import { orderModules } from './module-order';

describe('orderModules', () => {
  it('puts attention q, k, v, o before mlp gate, up, down (alphabetical input)', () => {
    const seen = [
      'input_layernorm',
      'mlp.down_proj',
      'mlp.gate_proj',
      'mlp.up_proj',
      'post_attention_layernorm',
      'self_attn.k_proj',
      'self_attn.o_proj',
      'self_attn.q_proj',
      'self_attn.v_proj',
    ];
    expect(orderModules(seen)).toEqual([
      'self_attn.q_proj',
      'self_attn.k_proj',
      'self_attn.v_proj',
      'self_attn.o_proj',
      'mlp.gate_proj',
      'mlp.up_proj',
      'mlp.down_proj',
      'input_layernorm',
      'post_attention_layernorm',
    ]);
  });

  it('keeps first-seen order for unknown names', () => {
    expect(
      orderModules(['norm1', 'ffn.2', 'ffn.0', 'self_attn.o', 'self_attn.q', 'modulation']),
    ).toEqual(['self_attn.q', 'self_attn.o', 'ffn.2', 'ffn.0', 'norm1', 'modulation']);
  });

  it('keeps routed and shared experts apart, router first within its group', () => {
    expect(
      orderModules([
        'mlp.experts.down_proj',
        'mlp.experts.gate_proj',
        'mlp.experts.up_proj',
        'mlp.gate',
        'mlp.shared_experts.down_proj',
        'mlp.shared_experts.gate_proj',
      ]),
    ).toEqual([
      'mlp.experts.gate_proj',
      'mlp.experts.up_proj',
      'mlp.experts.down_proj',
      'mlp.gate',
      'mlp.shared_experts.gate_proj',
      'mlp.shared_experts.down_proj',
    ]);
  });

  it('orders GPT-2 and fused projections', () => {
    expect(orderModules(['mlp.c_proj', 'mlp.c_fc', 'attn.c_proj', 'attn.c_attn'])).toEqual([
      'attn.c_attn',
      'attn.c_proj',
      'mlp.c_fc',
      'mlp.c_proj',
    ]);
    expect(
      orderModules(['mlp.experts.down_proj', 'mlp.experts.gate_up_proj', 'mlp.router']),
    ).toEqual(['mlp.experts.gate_up_proj', 'mlp.experts.down_proj', 'mlp.router']);
  });

  it('returns a permutation', () => {
    const seen = ['a', 'b.attn.x', 'mlp.q', 'c', 'self_attn.v'];
    expect([...orderModules(seen)].sort()).toEqual([...seen].sort());
  });
});
