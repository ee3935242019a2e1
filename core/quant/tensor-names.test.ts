import { describe, expect, it } from 'vitest';
import { memberOf } from './tensor-names';

const none = (): boolean => false;

describe('memberOf', () => {
  it('splits dotted suffixes, longest first', () => {
    expect(memberOf('m.layers.0.q_proj.weight_scale_2', none)).toEqual({
      prefix: 'm.layers.0.q_proj',
      suffix: 'weight_scale_2',
    });
    expect(memberOf('m.q.weight_scale', none)).toEqual({ prefix: 'm.q', suffix: 'weight_scale' });
    expect(memberOf('m.q.weight_scale_inv', none)?.suffix).toBe('weight_scale_inv');
    expect(memberOf('m.q.weight_packed', none)?.suffix).toBe('weight_packed');
    expect(memberOf('m.q.qweight', none)?.suffix).toBe('qweight');
    expect(memberOf('m.q.weight.absmax', none)).toEqual({ prefix: 'm.q', suffix: 'weight.absmax' });
    expect(memberOf('m.q.weight.quant_state.bitsandbytes__nf4', none)?.suffix).toBe(
      'weight.quant_state.bitsandbytes__nf4',
    );
    expect(memberOf('block.0.mlp.mlp1_weight.blocks', none)).toEqual({
      prefix: 'block.0.mlp.mlp1_weight',
      suffix: 'blocks',
    });
  });

  it('splits gpt-oss `_blocks` / `_scales` always', () => {
    expect(memberOf('m.experts.gate_up_proj_blocks', none)).toEqual({
      prefix: 'm.experts.gate_up_proj',
      suffix: 'blocks',
    });
    expect(memberOf('tensor_with_ones_scales', none)).toEqual({
      prefix: 'tensor_with_ones',
      suffix: 'scales',
    });
  });

  it('splits ModelOpt fused quantizers only beside their parameter or under experts', () => {
    const has = (n: string): boolean => n === 'm.up';
    expect(memberOf('m.up_weight_scale', has)).toEqual({ prefix: 'm.up', suffix: 'weight_scale' });
    expect(memberOf('m.up_weight_scale_2', has)).toEqual({
      prefix: 'm.up',
      suffix: 'weight_scale_2',
    });
    expect(memberOf('m.experts.down_proj_input_scale', none)).toEqual({
      prefix: 'm.experts.down_proj',
      suffix: 'input_scale',
    });
    expect(memberOf('m.other_weight_scale', none)).toBeNull();
  });

  it('reads torchao `:qdata` / `:scale` fields and ignores the rest', () => {
    expect(memberOf('0.weight:qdata', none)).toEqual({ prefix: '0', suffix: 'qdata' });
    expect(memberOf('0.weight:scale', none)).toEqual({ prefix: '0', suffix: 'torchao_scale' });
    expect(memberOf('0.bias:data', none)).toBeNull();
  });

  it('leaves biases, norms and KV-cache scales alone', () => {
    expect(memberOf('m.q.bias', none)).toBeNull();
    expect(memberOf('m.k_proj.k_scale', none)).toBeNull();
    expect(memberOf('weight', none)).toBeNull();
  });
});
