import { parseLayerKey } from '../layout/layer-key';
import type { LayerKey } from '../layout/layer-key';
import type { QuantModule, TensorRef } from '../quant/quant-types';
import type { SideIndex } from './diff-side';

/** One side of a pair: a plain tensor, or a quantized module (its weight and scales). */
export type PairSide =
  | { readonly kind: 'tensor'; readonly ref: TensorRef }
  | { readonly kind: 'module'; readonly module: QuantModule };

export interface PlannedPair {
  readonly name: string;
  readonly key: LayerKey;
  readonly a: PairSide;
  readonly b: PairSide;
}

export interface PairPlan {
  readonly pairs: readonly PlannedPair[];
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
}

/**
 * Where a quantized module's float original lives on the other side: `P.weight` for a Linear, the
 * bare `P` for fused expert tensors (`experts.gate_up_proj`, which gpt-oss MXFP4 splits into
 * `_blocks` / `_scales` under the same prefix).
 */
function floatWeightNames(prefix: string): string[] {
  return [`${prefix}.weight`, prefix];
}

function weightName(module: QuantModule): string {
  return module.tensors.weight?.info.name ?? `${module.prefix}.weight`;
}

function moduleNames(module: QuantModule): string[] {
  return Object.values(module.tensors).flatMap((ref) => (ref === undefined ? [] : [ref.info.name]));
}

/**
 * Pairs the tensors of A and B: a module quantized on both sides with itself; a module quantized on
 * one side with the float weight of the same module on the other; every other tensor by name. What
 * pairs with nothing is only-in-A / only-in-B (a module unpaired lists all its tensors).
 */
export function planPairs(a: SideIndex, b: SideIndex): PairPlan {
  const pairs: PlannedPair[] = [];
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  const prefixes = new Set<string>([...a.modules.keys(), ...b.modules.keys()]);
  for (const prefix of [...prefixes].sort()) {
    const ma = a.modules.get(prefix);
    const mb = b.modules.get(prefix);
    if (ma !== undefined && mb !== undefined) {
      pairs.push({
        name: weightName(mb),
        key: mb.key,
        a: { kind: 'module', module: ma },
        b: { kind: 'module', module: mb },
      });
      continue;
    }
    const module = ma ?? mb;
    if (module === undefined) {
      continue;
    }
    const other = ma !== undefined ? b : a;
    const used = ma !== undefined ? usedB : usedA;
    const floatName = floatWeightNames(prefix).find((n) => other.plain.has(n) && !used.has(n));
    const ref = floatName === undefined ? undefined : other.plain.get(floatName);
    if (floatName === undefined || ref === undefined) {
      const names = moduleNames(module);
      for (const n of names) {
        (ma !== undefined ? onlyA : onlyB).push(n);
      }
      continue;
    }
    used.add(floatName);
    const tensor: PairSide = { kind: 'tensor', ref };
    const quant: PairSide = { kind: 'module', module };
    pairs.push({
      name: floatName,
      key: parseLayerKey(floatName),
      a: ma !== undefined ? quant : tensor,
      b: ma !== undefined ? tensor : quant,
    });
  }
  for (const [name, ref] of a.plain) {
    if (usedA.has(name)) {
      continue;
    }
    const other = b.plain.get(name);
    if (other === undefined || usedB.has(name)) {
      onlyA.push(name);
      continue;
    }
    usedB.add(name);
    pairs.push({
      name,
      key: parseLayerKey(name),
      a: { kind: 'tensor', ref },
      b: { kind: 'tensor', ref: other },
    });
  }
  for (const name of b.plain.keys()) {
    if (!usedB.has(name)) {
      onlyB.push(name);
    }
  }
  return { pairs, onlyA: onlyA.sort(), onlyB: onlyB.sort() };
}
