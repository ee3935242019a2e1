import type { SafetensorsHeader, TensorInfo } from '../format/tensor-info';
import type { TensorRef } from './quant-types';
import type { MemberSuffix } from './tensor-names';
import { memberOf } from './tensor-names';
import { FewEntryMap } from './few-entry-map';

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
  const out: MemberGroup[] = [];
  if (perFile.length === 1) {
    // One file: every prefix has one group, nothing to merge (and no second map of every prefix).
    perFile[0].forEach((members, prefix) => {
      out.push({ prefix, members });
    });
    return out;
  }
  /** A prefix's groups, one per file that has it: most prefixes are in one file only. */
  const byPrefix = new Map<string, FileGroup | FileGroup[]>();
  for (const groups of perFile) {
    groups.forEach((members, prefix) => {
      const seen = byPrefix.get(prefix);
      if (seen === undefined) {
        byPrefix.set(prefix, members);
      } else if (Array.isArray(seen)) {
        seen.push(members);
      } else {
        byPrefix.set(prefix, [seen, members]);
      }
    });
  }
  byPrefix.forEach((list, prefix) => {
    if (Array.isArray(list)) {
      for (const members of mergeDisjoint(list)) {
        out.push({ prefix, members });
      }
    } else {
      out.push({ prefix, members: list });
    }
  });
  return out;
}

type Members = Map<MemberSuffix, TensorRef>;

/** A group's members as a file's grouping collects them (a few fields, not a `Map`, each). */
type FileGroup = FewEntryMap<MemberSuffix, TensorRef>;

function groupFile(header: SafetensorsHeader): Map<string, FileGroup> {
  const groups = new Map<string, FileGroup>();
  const hasTensor = (name: string): boolean => header.byName.has(name);
  const unmatched: TensorInfo[] = [];
  // A module's tensors usually lie next to each other: the group of the previous tensor is checked
  // before the map (a lookup of a fresh prefix string hashes it and touches a 100,000-entry table).
  let lastPrefix: string | null = null;
  let lastGroup: FileGroup | undefined;
  for (const info of header.tensors) {
    const member = memberOf(info.name, hasTensor);
    if (member === null) {
      unmatched.push(info);
      continue;
    }
    const ref = { file: header.fileName, info };
    const prefix = member.prefix;
    let group = prefix === lastPrefix ? lastGroup : groups.get(prefix);
    if (group === undefined) {
      group = new FewEntryMap(member.suffix, ref);
      groups.set(prefix, group);
    } else {
      group.set(member.suffix, ref);
    }
    lastPrefix = prefix;
    lastGroup = group;
  }
  // A ModelOpt fused parameter is the bare `<prefix>` tensor beside `<prefix>_weight_scale`.
  for (const info of unmatched) {
    const group = groups.get(info.name);
    if (group !== undefined && !group.has('weight')) {
      group.set('weight', { file: header.fileName, info });
    }
  }
  return groups;
}

/** Folds groups of one prefix (one per file) together whenever their suffixes do not overlap. */
function mergeDisjoint(list: readonly FileGroup[]): Members[] {
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
