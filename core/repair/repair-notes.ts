import { assertUnreachable } from '../dtype/dtype';
import type { PlanTensorSummary } from './plan-types';
import type { RepairClass, RepairRole } from './repair-decisions';
import { DESTROYED_SCALE_BYTE, REPAIR_ROLES } from './repair-decisions';
import { formatByte } from './repair-policy';

/**
 * One sentence per class, for the places that show a class (patch table legend, CLI help): the
 * same words everywhere.
 */
export const CLASS_MEANINGS: Readonly<Record<RepairClass, string>> = {
  neutral:
    'neutral: every code of the block is ±0, so any finite scale dequantizes it to 0; the patch changes no weight',
  clamped:
    'clamped: the codes vary, so they were computed with a finite scale that the cast to the scale format lost; ' +
    'the patched scale dequantizes the block smaller than the original',
  destroyed:
    'destroyed: every code is the same saturated code (+6, bytes 0x77: the exporter divided by the NaN scale); ' +
    'the weights of the block are gone, its scale is set to zero so it contributes nothing',
};

/** Patch counts of one role, summed over tensors (and files). */
interface RoleCounts {
  patches: number;
  neutral: number;
  clamped: number;
  destroyed: number;
  readonly dtypes: Set<string>;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The notes that go with a plan (or several): one per role and class present, saying what the
 * patch does to the weights and what the real fix is. The CLI prints them, the app shows them, the
 * manifest records them. Empty when nothing is patched.
 */
export function repairNotes(tensors: readonly PlanTensorSummary[]): string[] {
  const byRole = new Map<RepairRole, RoleCounts>();
  for (const t of tensors) {
    const c = byRole.get(t.role) ?? {
      patches: 0,
      neutral: 0,
      clamped: 0,
      destroyed: 0,
      dtypes: new Set<string>(),
    };
    c.patches += t.patches;
    c.neutral += t.neutral;
    c.clamped += t.clamped;
    c.destroyed += t.destroyed;
    c.dtypes.add(t.treatedAs);
    byRole.set(t.role, c);
  }
  const notes: string[] = [];
  for (const role of REPAIR_ROLES) {
    const c = byRole.get(role);
    if (c !== undefined && c.patches > 0) {
      for (const note of roleNotes(role, c)) {
        notes.push(note);
      }
    }
  }
  return notes;
}

function roleNotes(role: RepairRole, c: RoleCounts): string[] {
  const unclassified = c.patches - c.neutral - c.clamped - c.destroyed;
  const dtypes = [...c.dtypes].sort().join('/');
  switch (role) {
    case 'fp4-block-scale':
      return blockNotes(c, unclassified, {
        what: 'FP4 block',
        codes: 16,
        clampedCause:
          'the exporter computed them with a finite scale above 448 that the FP8 cast turned into NaN; ' +
          'the patched scale (at most 448) dequantizes these blocks smaller than the original weights. ' +
          'Re-exporting (ModelOpt >= 0.45 clamps the scales) is the real fix.',
        zeroScale: `zero (${formatByte(DESTROYED_SCALE_BYTE)})`,
      });
    case 'mx-block-scale':
      return blockNotes(c, unclassified, {
        what: 'MX block',
        codes: 32,
        clampedCause:
          'they were computed with a finite scale that the E8M0 encoding lost; the policy byte is a guess ' +
          'at it, so these blocks may be off by powers of two. Re-exporting is the real fix.',
        zeroScale: `the smallest E8M0 value (${formatByte(DESTROYED_SCALE_BYTE)}, 2^-127)`,
      });
    case 'fp8-scale':
      return [
        `${count(c.patches, 'FP8 scale byte', 'FP8 scale bytes')} without a readable paired weight: NaN ` +
          'replaced by a positive value (a scale is positive by construction, its sign bit is noise); not ' +
          'classified, so the effect on the weights is unknown. Re-exporting is the real fix.',
      ];
    case 'fp8-weight':
      return [
        `${count(c.patches, 'FP8 weight', 'FP8 weights')}: NaN replaced as the policy says, keeping the sign ` +
          '(a weight’s sign carries meaning); the original values are unknown.',
      ];
    case 'float-scale':
      return [
        `${count(c.patches, 'lossy float byte patch', 'lossy float byte patches')} in ${dtypes} scales ` +
          '(AWQ/GPTQ scales, FP8 weight scales): NaN/±Inf replaced by a positive value, zero or the largest ' +
          'finite as the policy says; the weights those scales multiply change.',
      ];
    case 'float-value':
      return [
        `${count(c.patches, 'lossy float byte patch', 'lossy float byte patches')} in ${dtypes} values: ` +
          'NaN/Inf replaced by zero or the largest finite of the same sign, as the policy says; the ' +
          'original values are unknown.',
      ];
    default:
      return assertUnreachable(role);
  }
}

interface BlockWords {
  readonly what: string;
  readonly codes: number;
  readonly clampedCause: string;
  readonly zeroScale: string;
}

function blockNotes(c: RoleCounts, unclassified: number, w: BlockWords): string[] {
  const notes: string[] = [];
  if (c.destroyed > 0) {
    notes.push(
      `${count(c.destroyed, `destroyed ${w.what}`, `destroyed ${w.what}s`)}: all ${w.codes} codes are the ` +
        'same saturated code (+6, bytes 0x77), which ModelOpt writes when it divides the weights by the NaN ' +
        `scale: these weights are gone. Their scale is set to ${w.zeroScale}, so the blocks contribute ` +
        'nothing (the largest scale would make each a large constant). Re-exporting is the real fix.',
    );
  }
  if (c.clamped > 0) {
    notes.push(
      `${count(c.clamped, `clamped ${w.what} scale`, `clamped ${w.what} scales`)}: the codes vary, so ${w.clampedCause}`,
    );
  }
  if (c.neutral > 0) {
    notes.push(
      `${count(c.neutral, `neutral ${w.what} scale`, `neutral ${w.what} scales`)}: every code of the block ` +
        'is ±0, so any finite scale dequantizes it to 0; the patch changes no weight.',
    );
  }
  if (unclassified > 0) {
    notes.push(
      `${count(unclassified, `${w.what} scale`, `${w.what} scales`)} without a readable paired weight: NaN ` +
        'replaced by the policy’s positive value; not classified, so the effect on the weights is unknown.',
    );
  }
  return notes;
}
