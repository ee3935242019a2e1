import { describe, expect, it } from 'vitest';
import { compileNameQuery } from './name-query';

const names = [
  'model.layers.0.mlp.experts.3.down_proj.weight_scale',
  'model.layers.0.mlp.experts.3.down_proj.weight',
  'model.layers.10.self_attn.q_proj.weight_scale_2',
  'model.layers.7.self_attn.q_proj.input_scale',
  'lm_head.weight',
];

function run(query: string): string[] {
  const match = compileNameQuery(query);
  return match === null ? names : names.filter((n) => match(n.toLowerCase()));
}

describe('the tensor filter query', () => {
  it('keeps everything for an empty or blank query', () => {
    expect(compileNameQuery('   ')).toBeNull();
  });

  it('matches a glob against the whole name', () => {
    expect(run('*.weight_scale')).toEqual([names[0]]);
    expect(run('*weight_scale*')).toEqual([names[0], names[2]]);
    expect(run('model.layers.?.*')).toEqual([names[0], names[1], names[3]]);
    expect(run('lm_head.*')).toEqual([names[4]]);
  });

  it('needs every word, in any order, case-insensitively', () => {
    expect(run('DOWN experts')).toEqual([names[0], names[1]]);
    expect(run('q_proj layers.10')).toEqual([names[2]]);
    expect(run('*_scale down')).toEqual([names[0]]);
    expect(run('nothing-like-this')).toEqual([]);
  });

  it('treats regex characters literally and stays fast on star-heavy globs', () => {
    expect(run('(.*)')).toEqual([]);
    const long = `${'a'.repeat(5000)}c`;
    const match = compileNameQuery('*a*a*a*a*a*a*a*a*a*a*a*a*b');
    expect(match?.(long)).toBe(false);
  });

  it('gives the same answers on the fast paths as the general matcher', () => {
    expect(run('*')).toEqual(names);
    expect(run('*scale')).toEqual([names[0], names[3]]);
    expect(run('model.*')).toEqual(names.slice(0, 4));
    expect(run('*layers.1*')).toEqual([names[2]]);
    expect(run('*a*b*')).toEqual([]);
    expect(run('**')).toEqual(names);
  });
});
