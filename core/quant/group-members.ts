import type { SafetensorsHeader } from '../format/tensor-info';
import type { TensorRef } from './quant-types';
import type { MemberSuffix } from './tensor-names';
import { memberOf } from './tensor-names';

/** The tensors sharing one module prefix, by the suffix that named each. */
export interface MemberGroup {
  readonly prefix: string;
  readonly members: ReadonlyMap<MemberSuffix, TensorRef>;
}

/**
 * Groups every tensor of every file by module prefix. Tensors are paired within their own file
 * first; a group that lacks tensors another file's group of the same prefix has (a weight in one
 * shard, its scale in the next) is then merged with it, as long as no suffix would appear twice.
 * So two complete copies of a model given together stay two sets of modules.
 */
export function groupMembers(headers: readonly SafetensorsHeader[]): MemberGroup[] {
  const perFile = headers.map(groupFile);
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
    for (const members of mergeDisjoint(list)) {
      out.push({ prefix, members });
    }
  }
  return out;
}

function groupFile(header: SafetensorsHeader): Map<string, Map<MemberSuffix, TensorRef>> {
  const groups = new Map<string, Map<MemberSuffix, TensorRef>>();
  const hasTensor = (name: string): boolean => header.byName.has(name);
  const unmatched: TensorRef[] = [];
  for (const info of header.tensors) {
    const ref = { file: header.fileName, info };
    const member = memberOf(info.name, hasTensor);
    if (member === null) {
      unmatched.push(ref);
      continue;
    }
    const group = groups.get(member.prefix) ?? new Map<MemberSuffix, TensorRef>();
    group.set(member.suffix, ref);
    groups.set(member.prefix, group);
  }
  // A ModelOpt fused parameter is the bare `<prefix>` tensor beside `<prefix>_weight_scale`.
  for (const ref of unmatched) {
    const group = groups.get(ref.info.name);
    if (group !== undefined && !group.has('weight')) {
      group.set('weight', ref);
    }
  }
  return groups;
}

/** Folds groups of one prefix (one per file) together whenever their suffixes do not overlap. */
function mergeDisjoint(
  list: readonly Map<MemberSuffix, TensorRef>[],
): Map<MemberSuffix, TensorRef>[] {
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
  return merged;
}
