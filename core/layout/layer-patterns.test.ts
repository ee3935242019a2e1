import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LAYER_CONTAINERS, matchLayer } from './layer-patterns';

describe('matchLayer', () => {
  it('finds every listed container with any prefix', () => {
    for (const { container, modulePrefix } of LAYER_CONTAINERS) {
      expect(matchLayer(`${container}.4.attn.weight`)).toEqual({
        layer: 4,
        modulePrefix,
        rest: 'attn.weight',
      });
      expect(matchLayer(`some.prefix.${container}.12.x`)?.layer).toBe(12);
    }
  });

  it('prefers the leftmost match, then the list order', () => {
    expect(matchLayer('encoder.layers.1.layers.2.w')).toEqual({
      layer: 1,
      modulePrefix: 'encoder.',
      rest: 'layers.2.w',
    });
    expect(matchLayer('single_transformer_blocks.3.w')?.modulePrefix).toBe(
      'single_transformer_blocks.',
    );
  });

  it('returns null without a container index', () => {
    expect(matchLayer('lm_head.weight')).toBeNull();
    expect(matchLayer('layers.x.weight')).toBeNull();
    expect(matchLayer('layers.99999999999.weight')).toBeNull();
  });

  it('never throws and only returns a suffix of the name', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const match = matchLayer(name);
        return match === null || name.endsWith(match.rest);
      }),
    );
  });
});
