import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SafetensorsHeader } from '../format/tensor-info';
import { groupMembers } from './group-members';
import type { MemberGroup } from './group-members';
import type { TensorRef } from './quant-types';
import type { MemberSuffix } from './tensor-names';
import { memberOf } from './tensor-names';
import { headerOf } from './testing/open-fixture';
import { info } from './testing/tensor-info';

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

/** The grouping as first written (a map of lists per prefix, every group copied): the reference. */
function referenceGroups(headers: readonly SafetensorsHeader[]): MemberGroup[] {
  const perFile = headers.map((header) => {
    const groups = new Map<string, Map<MemberSuffix, TensorRef>>();
    const unmatched: TensorRef[] = [];
    for (const info of header.tensors) {
      const ref = { file: header.fileName, info };
      const member = memberOf(info.name, (n) => header.byName.has(n));
      if (member === null) {
        unmatched.push(ref);
        continue;
      }
      const group = groups.get(member.prefix) ?? new Map<MemberSuffix, TensorRef>();
      group.set(member.suffix, ref);
      groups.set(member.prefix, group);
    }
    for (const ref of unmatched) {
      const group = groups.get(ref.info.name);
      if (group !== undefined && !group.has('weight')) {
        group.set('weight', ref);
      }
    }
    return groups;
  });
  const byPrefix = new Map<string, Map<MemberSuffix, TensorRef>[]>();
  for (const groups of perFile) {
    for (const [prefix, members] of groups) {
      const list = byPrefix.get(prefix) ?? [];
      list.push(members);
      byPrefix.set(prefix, list);
    }
  }
  const out: MemberGroup[] = [];
  for (const [prefix, list] of byPrefix) {
    const merged: Map<MemberSuffix, TensorRef>[] = [];
    for (const group of list) {
      const target = merged.find((m) => [...group.keys()].every((k) => !m.has(k)));
      if (target === undefined) {
        merged.push(new Map(group));
      } else {
        for (const [k, v] of group) {
          target.set(k, v);
        }
      }
    }
    for (const members of merged) {
      out.push({ prefix, members });
    }
  }
  return out;
}

/** Groups as comparable plain data: prefix, then suffix / file / tensor of each member in order. */
const plainGroups = (groups: readonly MemberGroup[]) =>
  groups.map((g) => [g.prefix, [...g.members].map(([s, r]) => [s, r.file, r.info.name])]);

const PREFIXES = ['a', 'b', 'm.experts.up', 'm.experts', 'x.layers.0.q'];
const ENDINGS = ['', '.weight', '.weight_scale', '.weight_scale_2', '.input_scale', '.bias'];
const FUSED = ['_weight_scale', '_input_scale', '_blocks', '_scales'];

describe('groupMembers against the reference grouping', () => {
  it('gives the same groups, in the same order, for any files of related names', () => {
    const name = fc.oneof(
      fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...ENDINGS)).map(([p, e]) => p + e),
      fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...FUSED)).map(([p, e]) => p + e),
    );
    const file = fc.uniqueArray(name, { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 4 }), (files) => {
        const headers = files.map((names, f): SafetensorsHeader => {
          const tensors = names.map((n) => info(n, 'U8', [1]));
          return {
            fileName: `f${f}.safetensors`,
            fileSize: 0,
            headerLength: 0,
            dataStart: 8,
            metadata: null,
            tensors,
            byName: new Map(tensors.map((t) => [t.name, t])),
          };
        });
        expect(plainGroups(groupMembers(headers))).toEqual(plainGroups(referenceGroups(headers)));
      }),
      { numRuns: 500 },
    );
  });
});
