import { describe, expect, it } from 'vitest';
import type { RepairPlan } from './plan-types';
import { formatRepairMarkdown } from './repair-markdown';

const PLAN: RepairPlan = {
  file: 'model.safetensors',
  fileSize: 100,
  headerLength: 40,
  patches: [],
  tensors: [
    {
      name: 'model.layers.0.mlp.down_proj.weight_scale',
      dtype: 'F8_E4M3',
      treatedAs: 'F8_E4M3',
      role: 'fp4-block-scale',
      patches: 4,
      neutral: 1,
      clamped: 2,
      destroyed: 1,
      lossy: 3,
    },
    {
      name: 'odd|name',
      dtype: 'BF16',
      treatedAs: 'BF16',
      role: 'float-value',
      patches: 2,
      neutral: 0,
      clamped: 0,
      destroyed: 0,
      lossy: 2,
    },
  ],
};

describe('formatRepairMarkdown', () => {
  it('a row per patched tensor with its classes, the notes and what the classes mean', () => {
    const md = formatRepairMarkdown([{ fileName: 'a|b.safetensors', plan: PLAN }]);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ckptscope repair plan');
    expect(lines).toContain(
      '| a\\|b.safetensors | `model.layers.0.mlp.down_proj.weight_scale` | fp4-block-scale | 4 | 1 | 2 | 1 | 0 |',
    );
    expect(lines).toContain(
      '| a\\|b.safetensors | `odd\\|name` | float-value | 2 | 0 | 0 | 0 | 2 |',
    );
    expect(md).toContain('- 1 destroyed FP4 block:');
    expect(md).toContain('- 2 clamped FP4 block scales:');
    expect(md).toContain('- 1 neutral FP4 block scale:');
    expect(md).toContain('- neutral: every code of the block is ±0');
    expect(md).toContain('- destroyed: every code is the same saturated code');
  });

  it('is empty when nothing is patched', () => {
    expect(formatRepairMarkdown([])).toBe('');
    expect(formatRepairMarkdown([{ fileName: 'x', plan: { ...PLAN, tensors: [] } }])).toBe('');
  });
});
