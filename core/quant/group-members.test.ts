import { describe, expect, it } from 'vitest';
import { groupMembers } from './group-members';
import { headerOf } from './testing/open-fixture';

const t = (name: string, dtype: 'U8' | 'F32' = 'U8') => ({
  name,
  dtype,
  shape: [1],
  data: new Uint8Array(dtype === 'U8' ? 1 : 4),
});

describe('groupMembers', () => {
  it('groups a file by prefix and attaches bare fused weights', () => {
    const { header } = headerOf([
      t('a.weight'),
      t('a.weight_scale'),
      t('x.experts.up'),
      t('x.experts.up_weight_scale'),
      t('a.bias'),
    ]);
    const groups = groupMembers([header]);
    expect(groups.map((g) => [g.prefix, [...g.members.keys()].sort()])).toEqual([
      ['a', ['weight', 'weight_scale']],
      ['x.experts.up', ['weight', 'weight_scale']],
    ]);
  });

  it('pairs a weight in one shard with its scales in another, but keeps two complete copies apart', () => {
    const one = headerOf(
      [t('a.weight'), t('b.weight'), t('b.weight_scale')],
      'one.safetensors',
    ).header;
    const two = headerOf(
      [t('a.weight_scale'), t('b.weight'), t('b.weight_scale')],
      'two.safetensors',
    ).header;
    const groups = groupMembers([one, two]);
    const a = groups.filter((g) => g.prefix === 'a');
    expect(a).toHaveLength(1);
    expect(a[0].members.get('weight')?.file).toBe('one.safetensors');
    expect(a[0].members.get('weight_scale')?.file).toBe('two.safetensors');
    expect(groups.filter((g) => g.prefix === 'b')).toHaveLength(2);
  });
});
