import type { Patch, RepairPlan } from '../core/repair/plan-types';
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

function classes(neutral: number, lossy: number): string {
  const parts: string[] = [];
  if (neutral > 0) {
    parts.push(`${neutral} neutral`);
  }
  if (lossy > 0) {
    parts.push(`${lossy} lossy`);
  }
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function patchLine(p: Patch): string {
  const tag = p.classification === null ? '' : `  ${p.classification}`;
  return `      (${p.row}, ${p.col})  byte ${p.offset}  ${formatByte(p.old)} → ${formatByte(p.new)}${tag}\n`;
}

/** What one file's plan changes: a headline, then each tensor with its first patches. */
export function formatPlan(plan: RepairPlan): string {
  const file = terminalSafe(plan.file);
  if (plan.patches.length === 0) {
    return `OK    ${file}: nothing to patch\n`;
  }
  const neutral = plan.tensors.reduce((n, t) => n + t.neutral, 0);
  const lossy = plan.tensors.reduce((n, t) => n + t.lossy, 0);
  let out =
    `PATCH ${file}: ${count(plan.patches.length, 'byte', 'bytes')} in ` +
    `${count(plan.tensors.length, 'tensor', 'tensors')}${classes(neutral, lossy)}\n`;
  let next = 0;
  for (const t of plan.tensors) {
    const as = t.treatedAs === t.dtype ? t.dtype : `${t.dtype} as ${t.treatedAs}`;
    out += `    ${terminalSafe(t.name)}  ${as}  ${count(t.patches, 'patch', 'patches')}${classes(t.neutral, t.lossy)}\n`;
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

/** The advice that goes with lossy patches, or '' when there are none. */
export function lossyNote(plans: readonly RepairPlan[]): string {
  let nvfp4 = 0;
  let float = 0;
  for (const plan of plans) {
    for (const t of plan.tensors) {
      if (t.treatedAs === 'F8_E4M3') {
        nvfp4 += t.lossy;
      } else {
        float += t.lossy;
      }
    }
  }
  let out = '';
  if (nvfp4 > 0) {
    out +=
      `Note: ${count(nvfp4, 'lossy block scale', 'lossy block scales')}: the true scale exceeded 448, so those blocks now ` +
      `dequantize smaller than the original weights. Re-exporting (ModelOpt >= 0.45 clamps the scales) is the real fix.\n`;
  }
  if (float > 0) {
    out += `Note: ${count(float, 'lossy float byte patch', 'lossy float byte patches')}: NaN/Inf values were replaced by the policy's value.\n`;
  }
  return out;
}
