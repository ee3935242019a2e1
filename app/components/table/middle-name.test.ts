import { describe, expect, it } from 'vitest';
import { splitForMiddle } from './middle-name';

describe('splitForMiddle', () => {
  it('keeps short names whole', () => {
    expect(splitForMiddle('lm_head.weight')).toEqual(['lm_head.weight', '']);
  });

  it('keeps the layer and the suffix in the end part', () => {
    const name = 'model.language_model.layers.47.mlp.experts.63.down_proj.weight_scale';
    const [head, tail] = splitForMiddle(name);
    expect(head + tail).toBe(name);
    expect(tail).toBe('layers.47.mlp.experts.63.down_proj.weight_scale');
  });

  it('falls back to the last 40 characters at a dot for very long ends', () => {
    const name = `model.layers.1.${'x'.repeat(80)}.proj.weight`;
    const [head, tail] = splitForMiddle(name);
    expect(head + tail).toBe(name);
    expect(tail).toBe('proj.weight');
    const flat = 'y'.repeat(100);
    expect(splitForMiddle(flat)[1]).toBe('y'.repeat(40));
  });
});
