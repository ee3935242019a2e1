import { describe, expect, it } from 'vitest';
import type { PlanTensorSummary } from './plan-types';
import type { RepairRole } from './repair-decisions';
import { REPAIR_CLASSES, REPAIR_ROLES } from './repair-decisions';
import { CLASS_MEANINGS, repairNotes } from './repair-notes';

function t(role: RepairRole, counts: Partial<PlanTensorSummary>): PlanTensorSummary {
  return {
    name: role,
    dtype: 'F8_E4M3',
    treatedAs: 'F8_E4M3',
    role,
    patches: 0,
    neutral: 0,
    clamped: 0,
    destroyed: 0,
    lossy: 0,
    ...counts,
  };
}

describe('repairNotes', () => {
  it('one note per class of block scales, summed over tensors, destroyed first', () => {
    const notes = repairNotes([
      t('fp4-block-scale', { patches: 3, neutral: 1, clamped: 1, destroyed: 1, lossy: 2 }),
      t('fp4-block-scale', { patches: 2, destroyed: 2, lossy: 2 }),
    ]);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/^3 destroyed FP4 blocks: all 16 codes are the same saturated code/);
    expect(notes[0]).toContain('set to zero (0x00)');
    expect(notes[0]).toContain('Re-exporting is the real fix');
    expect(notes[1]).toMatch(/^1 clamped FP4 block scale: the codes vary/);
    expect(notes[1]).toContain('smaller than the original');
    expect(notes[2]).toMatch(/^1 neutral FP4 block scale: every code of the block is ±0/);
  });

  it('MX blocks: 32 codes, the smallest E8M0 for destroyed ones; unpaired scales say so', () => {
    const notes = repairNotes([
      t('mx-block-scale', { treatedAs: 'F8_E8M0', patches: 4, destroyed: 1, lossy: 1 }),
    ]);
    expect(notes[0]).toMatch(/^1 destroyed MX block: all 32 codes/);
    expect(notes[0]).toContain('smallest E8M0 value (0x00, 2^-127)');
    expect(notes[1]).toMatch(/^3 MX block scales without a readable paired weight/);
  });

  it('per role: FP8 scales positive, FP8 weights signed, float scales and values', () => {
    const notes = repairNotes([
      t('fp8-weight', { patches: 2 }),
      t('fp8-scale', { patches: 1 }),
      t('float-scale', { dtype: 'F16', treatedAs: 'F16', patches: 2, lossy: 2 }),
      t('float-value', { dtype: 'BF16', treatedAs: 'BF16', patches: 4, lossy: 4 }),
      t('float-value', { dtype: 'F32', treatedAs: 'F32', patches: 4, lossy: 4 }),
    ]);
    expect(notes).toEqual([
      expect.stringMatching(
        /^1 FP8 scale byte without a readable paired weight: NaN replaced by a positive value/,
      ),
      expect.stringMatching(/^2 FP8 weights: NaN replaced as the policy says, keeping the sign/),
      expect.stringMatching(/^2 lossy float byte patches in F16 scales .*positive value/),
      expect.stringMatching(/^8 lossy float byte patches in BF16\/F32 values: .*same sign/),
    ]);
  });

  it('says nothing when nothing is patched; every role and class has words', () => {
    expect(repairNotes([])).toEqual([]);
    expect(repairNotes([t('fp4-block-scale', { patches: 0 })])).toEqual([]);
    for (const role of REPAIR_ROLES) {
      expect(repairNotes([t(role, { patches: 1 })])).toHaveLength(1);
    }
    for (const c of REPAIR_CLASSES) {
      expect(CLASS_MEANINGS[c].startsWith(`${c}: `)).toBe(true);
    }
  });
});
