import { describe, expect, it } from 'vitest';
import type { Patch, RepairPlan } from '../core/repair/plan-types';
import { DEFAULT_REPAIR_POLICY } from '../core/repair/repair-policy';
import {
  formatPlan,
  formatPolicyLine,
  formatWritten,
  lossyNote,
  MAX_LISTED_PATCHES,
} from './repair-text';

function patch(tensor: string, i: number, classification: Patch['classification']): Patch {
  return {
    tensor,
    flatIndex: i,
    row: 0,
    col: i,
    offset: 100 + i,
    old: 0x7f,
    new: 0x7e,
    classification,
  };
}

const many = Array.from({ length: MAX_LISTED_PATCHES + 3 }, (_, i) =>
  patch('a\u001b[31m', i, 'neutral'),
);
const PLAN: RepairPlan = {
  file: 'ckpt/model.safetensors',
  fileSize: 1000,
  headerLength: 80,
  patches: [...many, patch('b', 50, 'lossy')],
  tensors: [
    {
      name: 'a\u001b[31m',
      dtype: 'F8_E4M3',
      treatedAs: 'F8_E4M3',
      patches: many.length,
      neutral: many.length,
      lossy: 0,
    },
    { name: 'b', dtype: 'U8', treatedAs: 'F8_E4M3', patches: 1, neutral: 0, lossy: 1 },
  ],
};

describe('repair text', () => {
  it('lists each tensor with its first patches, escaping names', () => {
    const text = formatPlan(PLAN);
    expect(text.split('\n')[0]).toBe(
      'PATCH ckpt/model.safetensors: 14 bytes in 2 tensors (13 neutral, 1 lossy)',
    );
    expect(text).toContain('a\\u001b[31m  F8_E4M3  13 patches (13 neutral)');
    expect(text).toContain('(0, 0)  byte 100  0x7F → 0x7E  neutral');
    expect(text).toContain('… and 3 more (see --manifest or --json)');
    expect(text).toContain('b  U8 as F8_E4M3  1 patch (1 lossy)');
    expect(text).toContain('(0, 50)  byte 150  0x7F → 0x7E  lossy');
    expect(text).not.toContain('\u001b');
    expect(formatPlan({ ...PLAN, patches: [], tensors: [] })).toBe(
      'OK    ckpt/model.safetensors: nothing to patch\n',
    );
  });

  it('says what was written, the policy, and warns about lossy patches', () => {
    expect(
      formatWritten('out.safetensors', {
        differingBytes: 1,
        patchedTensorsClean: true,
        uncleanTensors: [],
      }),
    ).toContain('Wrote out.safetensors: verified (1 differing byte, header identical');
    expect(formatPolicyLine(DEFAULT_REPAIR_POLICY)).toMatch(/^Policy max: F8_E4M3 NaN/);
    expect(lossyNote([PLAN])).toContain('1 lossy block scale:');
    expect(lossyNote([{ ...PLAN, tensors: [] }])).toBe('');
    const floatPlan: RepairPlan = {
      ...PLAN,
      tensors: [{ name: 'n', dtype: 'BF16', treatedAs: 'BF16', patches: 2, neutral: 0, lossy: 2 }],
    };
    expect(lossyNote([floatPlan])).toContain('2 lossy float byte patches');
  });
});
