import type { Patch, PlanTensorSummary, RepairPlan } from '../core/repair/plan-types';
import { repairNotes } from '../core/repair/repair-notes';
import type { RepairPolicy } from '../core/repair/repair-policy';
import { describePolicy, formatByte, formatPolicy } from '../core/repair/repair-policy';
import type { VerifyReport } from '../core/repair/verify-repair';
import { terminalSafe } from './terminal-text';

/** Patches listed per tensor in the readable report; the manifest always holds all of them. */
export const MAX_LISTED_PATCHES = 10;

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatPolicyLine(policy: RepairPolicy): string {
  return `Policy ${formatPolicy(policy)}: ${describePolicy(policy)}\n`;
}

type ClassCounts = Pick<PlanTensorSummary, 'neutral' | 'clamped' | 'destroyed' | 'lossy'>;

/** " (2 neutral, 1 clamped, 1 destroyed)"; lossy patches outside a block class (floats) as "lossy". */
function classes(c: ClassCounts): string {
  const parts: string[] = [];
  const unclassedLossy = c.lossy - c.clamped - c.destroyed;
  for (const [n, word] of [
    [c.neutral, 'neutral'],
    [c.clamped, 'clamped'],
    [c.destroyed, 'destroyed'],
    [unclassedLossy, 'lossy'],
  ] as const) {
    if (n > 0) {
      parts.push(`${n} ${word}`);
    }
  }
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function total(tensors: readonly PlanTensorSummary[]): ClassCounts {
  const sum = { neutral: 0, clamped: 0, destroyed: 0, lossy: 0 };
  for (const t of tensors) {
    sum.neutral += t.neutral;
    sum.clamped += t.clamped;
    sum.destroyed += t.destroyed;
    sum.lossy += t.lossy;
  }
  return sum;
}

function patchLine(p: Patch): string {
  const label = p.class ?? p.classification;
  const tag = label === null ? '' : `  ${label}`;
  return `      (${p.row}, ${p.col})  byte ${p.offset}  ${formatByte(p.old)} → ${formatByte(p.new)}${tag}\n`;
}

/** What one file's plan changes: a headline, then each tensor with its first patches. */
export function formatPlan(plan: RepairPlan): string {
  const file = terminalSafe(plan.file);
  if (plan.patches.length === 0) {
    return `OK    ${file}: nothing to patch\n`;
  }
  let out =
    `PATCH ${file}: ${count(plan.patches.length, 'byte', 'bytes')} in ` +
    `${count(plan.tensors.length, 'tensor', 'tensors')}${classes(total(plan.tensors))}\n`;
  let next = 0;
  for (const t of plan.tensors) {
    const as = t.treatedAs === t.dtype ? t.dtype : `${t.dtype} as ${t.treatedAs}`;
    out += `    ${terminalSafe(t.name)}  ${as}  ${count(t.patches, 'patch', 'patches')}${classes(t)}\n`;
    const end = next + t.patches;
    // Patches are in offset order and tensors in file order, so each tensor's patches are contiguous.
    const listed = plan.patches.slice(next, Math.min(end, next + MAX_LISTED_PATCHES));
    out += listed.map(patchLine).join('');
    if (t.patches > listed.length) {
      out += `      … and ${t.patches - listed.length} more (see --manifest or --json)\n`;
    }
    next = end;
  }
  return out;
}

export function formatWritten(target: string, report: VerifyReport): string {
  return (
    `Wrote ${terminalSafe(target)}: verified (${count(report.differingBytes, 'differing byte', 'differing bytes')}, ` +
    `header identical, no NaN left in the patched tensors)\n`
  );
}

/**
 * What the patches do, per role and class (the words of core's repairNotes, which the app and the
 * manifest use too), one "Note:" line each; '' when nothing is patched.
 */
export function lossyNote(plans: readonly RepairPlan[]): string {
  const tensors: PlanTensorSummary[] = [];
  for (const plan of plans) {
    for (const t of plan.tensors) {
      tensors.push(t);
    }
  }
  return repairNotes(tensors)
    .map((note) => `Note: ${note}\n`)
    .join('');
}
