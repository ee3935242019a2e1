import { describe, expect, it } from 'vitest';
import { DOTTED_PARAMS, FUSED_PARAMS, splitFusedParam, splitParam } from './param-suffixes';

describe('splitParam', () => {
  it('splits at the last dot', () => {
    expect(splitParam('self_attn.q_proj.weight_scale_2')).toEqual([
      'self_attn.q_proj',
      'weight_scale_2',
    ]);
    expect(splitParam('weight')).toEqual(['', 'weight']);
  });

  it('keeps multi-segment parameters whole', () => {
    expect(splitParam('mlp.w.weight.nested_quant_map')).toEqual([
      'mlp.w',
      'weight.nested_quant_map',
    ]);
  });
});

describe('splitFusedParam', () => {
  it('takes the longest suffix', () => {
    expect(splitFusedParam('down_proj_weight_scale_2', FUSED_PARAMS)).toEqual([
      'down_proj',
      'weight_scale_2',
    ]);
    expect(splitFusedParam('gate_up_proj_blocks', FUSED_PARAMS)).toEqual([
      'gate_up_proj',
      'blocks',
    ]);
  });

  it('needs a non-empty head', () => {
    expect(splitFusedParam('_bias', FUSED_PARAMS)).toBeNull();
    expect(splitFusedParam('gate_up_proj', FUSED_PARAMS)).toBeNull();
  });
});

describe('suffix lists', () => {
  it('are sorted longest first', () => {
    for (const list of [DOTTED_PARAMS, FUSED_PARAMS]) {
      const lengths = list.map((s) => s.length);
      expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    }
  });
});
