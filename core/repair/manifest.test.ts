import { describe, expect, it } from 'vitest';
import { nvfp4Layer, openSpecs } from '../../fixtures/repair-fixtures';
import { buildManifest } from './manifest';
import { planRepair } from './plan-repair';
import { DEFAULT_REPAIR_POLICY } from './repair-policy';

describe('buildManifest', () => {
  it('carries the contract fields, the policy and a summary; sha256 only when given', async () => {
    const { source, header, offsetOf } = await openSpecs(nvfp4Layer());
    const plan = await planRepair(source, header, DEFAULT_REPAIR_POLICY);
    if (!plan.ok) {
      throw plan.error;
    }
    const m = buildManifest(plan.value, DEFAULT_REPAIR_POLICY, { toolVersion: '1.2.3' });
    const s = offsetOf('layer.weight_scale');
    expect(JSON.parse(JSON.stringify(m))).toEqual({
      tool: { name: 'ckptscope', version: '1.2.3' },
      policy: {
        text: 'max',
        description: expect.stringContaining('largest positive finite') as unknown,
        fp8: { kind: 'max' },
        e8m0: null,
        float: null,
      },
      file: 'fixture.safetensors',
      size: source.size,
      patches: [
        {
          tensor: 'layer.weight_scale',
          flatIndex: 1,
          row: 0,
          col: 1,
          offset: s + 1,
          old: 127,
          new: 126,
          classification: 'neutral',
          class: 'neutral',
        },
        {
          tensor: 'layer.weight_scale',
          flatIndex: 6,
          row: 1,
          col: 2,
          offset: s + 6,
          old: 255,
          new: 126,
          classification: 'lossy',
          class: 'clamped',
        },
      ],
      summary: {
        patches: 2,
        neutral: 1,
        clamped: 1,
        destroyed: 0,
        lossy: 1,
        tensors: [
          {
            name: 'layer.weight_scale',
            dtype: 'F8_E4M3',
            treatedAs: 'F8_E4M3',
            role: 'fp4-block-scale',
            patches: 2,
            neutral: 1,
            clamped: 1,
            destroyed: 0,
            lossy: 1,
          },
        ],
      },
      notes: [
        expect.stringMatching(/^1 clamped FP4 block scale: the codes vary/) as unknown,
        expect.stringMatching(
          /^1 neutral FP4 block scale: every code of the block is ±0/,
        ) as unknown,
      ],
      sha256: null,
    });
    expect(
      buildManifest(plan.value, DEFAULT_REPAIR_POLICY, { sha256In: 'ab', sha256Out: 'cd' }).sha256,
    ).toEqual({ input: 'ab', output: 'cd' });
    expect(buildManifest(plan.value, DEFAULT_REPAIR_POLICY, { sha256In: 'ab' }).sha256).toEqual({
      input: 'ab',
      output: null,
    });
    expect(buildManifest(plan.value, DEFAULT_REPAIR_POLICY).tool.version).toBe('0.0.0-dev');
  });
});
