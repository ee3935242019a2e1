import { describe, expect, it } from 'vitest';
import { readUrlView, writeUrlView } from './use-url-selection';

describe('the URL fragment of a view', () => {
  it('round-trips a tensor, its file and a drill-down, names with & # = and spaces included', () => {
    const view = {
      selection: { tensor: 'model.layers.1.a&b=c #d', file: 'dir/shard 1.safetensors' },
      drill: 'mlp.experts.gate_proj',
    };
    const hash = writeUrlView(view);
    expect(hash.startsWith('#')).toBe(true);
    expect(readUrlView(hash)).toEqual(view);
  });

  it('is empty for the empty view and reads an old link without a drill-down', () => {
    expect(writeUrlView({ selection: null, drill: null })).toBe('');
    expect(readUrlView('#tensor=x')).toEqual({
      selection: { tensor: 'x', file: null },
      drill: null,
    });
    expect(readUrlView('')).toEqual({ selection: null, drill: null });
  });
});
