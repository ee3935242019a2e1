import type { PlanTensorSummary, RepairPlan } from './plan-types';
import { CLASS_MEANINGS, repairNotes } from './repair-notes';
import { REPAIR_CLASSES } from './repair-decisions';

/** Tensor rows of the Markdown plan before it is cut (a bug report wants the pattern). */
const MARKDOWN_MAX_TENSORS = 200;

/** Markdown table cells: pipes, backslashes and backticks escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/[|\\`]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/**
 * A repair plan ready to paste into a bug report: per patched tensor its role and patches by class
 * (neutral / clamped / destroyed, and lossy for float patches outside a block class), then the
 * notes of core's repairNotes and what each class means. '' when nothing is patched.
 */
export function formatRepairMarkdown(
  plans: readonly { readonly fileName: string; readonly plan: RepairPlan }[],
): string {
  const rows: string[] = [];
  const all: PlanTensorSummary[] = [];
  for (const { fileName, plan } of plans) {
    for (const t of plan.tensors) {
      all.push(t);
      rows.push(
        `| ${cell(fileName)} | \`${cell(t.name)}\` | ${t.role} | ${t.patches} | ${t.neutral} | ` +
          `${t.clamped} | ${t.destroyed} | ${t.lossy - t.clamped - t.destroyed} |`,
      );
    }
  }
  if (rows.length === 0) {
    return '';
  }
  const lines = [
    '### ckptscope repair plan',
    '',
    '| file | tensor | role | byte patches | neutral | clamped | destroyed | other lossy |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows.slice(0, MARKDOWN_MAX_TENSORS)) {
    lines.push(row);
  }
  if (rows.length > MARKDOWN_MAX_TENSORS) {
    lines.push('', `… and ${rows.length - MARKDOWN_MAX_TENSORS} more tensors (see the manifest).`);
  }
  lines.push('');
  for (const note of repairNotes(all)) {
    lines.push(`- ${cell(note)}`);
  }
  lines.push('', 'Classes of a patched block scale:', '');
  for (const c of REPAIR_CLASSES) {
    lines.push(`- ${cell(CLASS_MEANINGS[c])}`);
  }
  return `${lines.join('\n')}\n`;
}
