import type { Patch, PlanTensorSummary, RepairPlan } from '../../core/repair/plan-repair';

/** Per finding (tensor) choice: follow the policy for all, or leave the tensor untouched. */
export type TensorChoice = 'repair' | 'skip';

/** Drops the patches of skipped tensors; totals follow. */
export function applyChoices(
  plan: RepairPlan,
  choices: ReadonlyMap<string, TensorChoice>,
): RepairPlan {
  const keep = (name: string): boolean => choices.get(name) !== 'skip';
  const patches: Patch[] = plan.patches.filter((p) => keep(p.tensor));
  const tensors: PlanTensorSummary[] = plan.tensors.filter((t) => keep(t.name));
  return { ...plan, patches, tensors };
}
