import { appendAll } from '../../core/append-all';
import type { Patch, PlanTensorSummary, RepairPlan } from '../../core/repair/plan-repair';
import type { RepairPolicy } from '../../core/repair/repair-policy';

/**
 * Per finding (tensor): follow the policy chosen for all, override it with the largest finite
 * value or zero for this tensor only, or leave the tensor untouched.
 */
export type TensorChoice = 'policy' | 'max' | 'zero' | 'skip';

export const TENSOR_CHOICES: readonly TensorChoice[] = ['policy', 'max', 'zero', 'skip'];

/** The policy a 'max' or 'zero' override plans with: the global one with that replacement. */
export function overridePolicy(policy: RepairPolicy, choice: 'max' | 'zero'): RepairPolicy {
  return { ...policy, fp8: { kind: choice }, float: policy.float === null ? null : choice };
}

export function policyKey(policy: RepairPolicy): string {
  return JSON.stringify(policy);
}

/**
 * The plan actually applied: each tensor's patches come from the plan of its choice (the global
 * policy's, an override's, or none when skipped). A tensor whose override plan is not ready yet
 * keeps the global plan's patches. Patches stay sorted by offset.
 */
export function applyChoices(
  plan: RepairPlan,
  choices: ReadonlyMap<string, TensorChoice>,
  overrides: ReadonlyMap<'max' | 'zero', RepairPlan> = new Map(),
): RepairPlan {
  const source = (name: string): RepairPlan | null => {
    const c = choices.get(name) ?? 'policy';
    if (c === 'skip') {
      return null;
    }
    return c === 'policy' ? plan : (overrides.get(c) ?? plan);
  };
  // No choice differs from the policy: the plan as it is (the common case, and a large one).
  if (plan.tensors.every((t) => source(t.name) === plan)) {
    return plan;
  }
  const patches: Patch[] = [];
  const tensors: PlanTensorSummary[] = [];
  for (const t of plan.tensors) {
    const from = source(t.name);
    if (from === null) {
      continue;
    }
    appendAll(patches, patchesByTensor(from).get(t.name) ?? []);
    const summary = from.tensors.find((x) => x.name === t.name);
    if (summary !== undefined) {
      tensors.push(summary);
    }
  }
  patches.sort((a, b) => a.offset - b.offset);
  return { ...plan, patches, tensors };
}

/** Each plan's patches grouped by tensor, computed once per plan (filtering per tensor was quadratic). */
const grouped = new WeakMap<RepairPlan, ReadonlyMap<string, readonly Patch[]>>();

function patchesByTensor(plan: RepairPlan): ReadonlyMap<string, readonly Patch[]> {
  let byTensor = grouped.get(plan);
  if (byTensor === undefined) {
    const map = new Map<string, Patch[]>();
    for (const p of plan.patches) {
      const list = map.get(p.tensor);
      if (list === undefined) {
        map.set(p.tensor, [p]);
      } else {
        list.push(p);
      }
    }
    byTensor = map;
    grouped.set(plan, byTensor);
  }
  return byTensor;
}
