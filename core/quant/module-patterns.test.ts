import { describe, expect, it } from 'vitest';
import { matchingPattern, modulePattern, patternMatches } from './module-patterns';

describe('modulePattern', () => {
  it('matches plain names on whole dotted segments', () => {
    const p = modulePattern('lm_head');
    expect(patternMatches(p, 'lm_head')).toBe(true);
    expect(patternMatches(p, 'model.lm_head')).toBe(true);
    expect(patternMatches(p, 'model.lm_head_extra')).toBe(false);
    expect(
      patternMatches(modulePattern('model.layers.0.mlp'), 'model.layers.0.mlp.down_proj'),
    ).toBe(true);
    expect(
      patternMatches(modulePattern('model.layers.0.mlp'), 'model.layers.10.mlp.down_proj'),
    ).toBe(false);
  });

  it('matches globs against the name or a dotted ancestor (ModelOpt, gpt-oss)', () => {
    const p = modulePattern('model.layers.*.self_attn');
    expect(patternMatches(p, 'model.layers.3.self_attn.q_proj')).toBe(true);
    expect(patternMatches(p, 'model.layers.3.mlp.down_proj')).toBe(false);
    expect(patternMatches(modulePattern('*lm_head*'), 'lm_head')).toBe(true);
    expect(patternMatches(modulePattern('layer?.x'), 'layer1.x')).toBe(true);
  });

  it('matches compressed-tensors re: entries from the start, and ignores bad regexes', () => {
    expect(patternMatches(modulePattern('re:.*mlp.gate$'), 'model.layers.1.mlp.gate')).toBe(true);
    expect(patternMatches(modulePattern('re:.*mlp.gate$'), 'model.layers.1.mlp.gate_proj')).toBe(
      false,
    );
    expect(patternMatches(modulePattern('re:('), 'anything')).toBe(false);
  });

  it('is plain data, so a report can cross a worker boundary', () => {
    expect(structuredClone(modulePattern('a.*'))).toEqual({ text: 'a.*', kind: 'glob' });
  });

  it('finds the first matching pattern', () => {
    const list = [modulePattern('a'), modulePattern('b.*')];
    expect(matchingPattern(list, 'b.c')?.text).toBe('b.*');
    expect(matchingPattern(list, 'c')).toBeNull();
    expect(patternMatches(modulePattern(''), 'x')).toBe(false);
  });
});
