import { describe, expect, it } from 'vitest';
import type { Patch, PlanTensorSummary, RepairClass, RepairPlan } from '../core/repair/plan-types';
import { DEFAULT_REPAIR_POLICY } from '../core/repair/repair-policy';
import {
  formatPlan,
  formatPolicyLine,
  formatWritten,
  lossyNote,
  MAX_LISTED_PATCHES,
} from './repair-text';

function patch(tensor: string, i: number, cls: RepairClass, next = 0x7e): Patch {
  return {
    tensor,
    flatIndex: i,
    row: 0,
    col: i,
    offset: 100 + i,
    old: 0x7f,
    new: next,
    classification: cls === 'neutral' ? 'neutral' : 'lossy',
    class: cls,
  };
}

function summary(
  name: string,
  dtype: PlanTensorSummary['dtype'],
  counts: Partial<PlanTensorSummary>,
): PlanTensorSummary {
  return {
    name,
    dtype,
    treatedAs: 'F8_E4M3',
    role: 'fp4-block-scale',
    patches: 0,
    neutral: 0,
    clamped: 0,
    destroyed: 0,
    lossy: 0,
    ...counts,
  };
}

const many = Array.from({ length: MAX_LISTED_PATCHES + 3 }, (_, i) =>
  patch('a\u001b[31m', i, 'neutral'),
);
const PLAN: RepairPlan = {
  file: 'ckpt/model.safetensors',
  fileSize: 1000,
  headerLength: 80,
  patches: [...many, patch('b', 50, 'clamped'), patch('b', 51, 'destroyed', 0x00)],
  tensors: [
    summary('a\u001b[31m', 'F8_E4M3', { patches: many.length, neutral: many.length }),
    summary('b', 'U8', { patches: 2, clamped: 1, destroyed: 1, lossy: 2 }),
  ],
};

describe('repair text', () => {
  it('lists each tensor with its first patches and their class, escaping names', () => {
    const text = formatPlan(PLAN);
    expect(text.split('\n')[0]).toBe(
      'PATCH ckpt/model.safetensors: 15 bytes in 2 tensors (13 neutral, 1 clamped, 1 destroyed)',
    );
    expect(text).toContain('a\\u001b[31m  F8_E4M3  13 patches (13 neutral)');
    expect(text).toContain('(0, 0)  byte 100  0x7F → 0x7E  neutral');
    expect(text).toContain('… and 3 more (see --manifest or --json)');
    expect(text).toContain('b  U8 as F8_E4M3  2 patches (1 clamped, 1 destroyed)');
    expect(text).toContain('(0, 50)  byte 150  0x7F → 0x7E  clamped');
    expect(text).toContain('(0, 51)  byte 151  0x7F → 0x00  destroyed');
    expect(text).not.toContain('\u001b');
    expect(formatPlan({ ...PLAN, patches: [], tensors: [] })).toBe(
      'OK    ckpt/model.safetensors: nothing to patch\n',
    );
  });

  it('says what was written and the policy', () => {
    expect(
      formatWritten('out.safetensors', {
        differingBytes: 1,
        patchedTensorsClean: true,
        uncleanTensors: [],
      }),
    ).toContain('Wrote out.safetensors: verified (1 differing byte, header identical');
    expect(formatPolicyLine(DEFAULT_REPAIR_POLICY)).toMatch(/^Policy max: F8_E4M3 NaN/);
    expect(formatPolicyLine(DEFAULT_REPAIR_POLICY)).toContain(
      'scale → largest positive finite (0x7E, +448)',
    );
  });

  it('notes each class and role present, in core’s words', () => {
    const notes = lossyNote([PLAN]).split('\n').filter(Boolean);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(/^Note: 1 destroyed FP4 block: all 16 codes are the same saturated/);
    expect(notes[0]).toContain('set to zero (0x00)');
    expect(notes[1]).toMatch(/^Note: 1 clamped FP4 block scale: the codes vary/);
    expect(notes[1]).toContain('Re-exporting');
    expect(notes[2]).toMatch(/^Note: 13 neutral FP4 block scales: every code of the block is ±0/);
    expect(lossyNote([{ ...PLAN, tensors: [] }])).toBe('');
    const floatPlan: RepairPlan = {
      ...PLAN,
      tensors: [
        {
          ...summary('n', 'BF16', { patches: 2, lossy: 2 }),
          treatedAs: 'BF16',
          role: 'float-value',
        },
        { ...summary('s', 'F16', { patches: 1, lossy: 1 }), treatedAs: 'F16', role: 'float-scale' },
      ],
    };
    expect(formatPlan(floatPlan)).toContain('n  BF16  2 patches (2 lossy)');
    const floatNotes = lossyNote([floatPlan]);
    expect(floatNotes).toContain('1 lossy float byte patch in F16 scales');
    expect(floatNotes).toContain('positive value');
    expect(floatNotes).toContain('2 lossy float byte patches in BF16 values');
    expect(floatNotes).toContain('of the same sign');
  });
});
