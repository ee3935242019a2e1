import { describe, expect, it } from 'vitest';
import { splitName } from './middle-name';

const join = (p: ReturnType<typeof splitName>): string => p.head + p.layer + p.middle + p.suffix;

describe('splitName', () => {
  it('keeps the layer and the last part apart from what may shrink', () => {
    const name = 'model.language_model.layers.47.mlp.experts.63.down_proj.weight_scale';
    const parts = splitName(name);
    expect(parts).toEqual({
      head: 'model.language_model.',
      layer: 'layers.47.',
      middle: 'mlp.experts.63.down_proj.',
      suffix: 'weight_scale',
    });
    expect(join(parts)).toBe(name);
  });

  it('handles names without a layer or without a dot', () => {
    expect(splitName('lm_head.weight')).toEqual({
      head: '',
      layer: '',
      middle: 'lm_head.',
      suffix: 'weight',
    });
    expect(splitName('scale')).toEqual({ head: '', layer: '', middle: '', suffix: 'scale' });
    expect(splitName('transformer.h.3.attn.c_attn.weight').layer).toBe('h.3.');
  });

  it('always joins back to the name', () => {
    for (const name of [
      'a.b.c',
      '.x',
      'x.',
      'layers.1.',
      'model.layers.1.weight',
      '模型.层.0.权重',
    ]) {
      expect(join(splitName(name))).toBe(name);
    }
  });
});
