import { describe, expect, it } from 'vitest';
import { appendAll } from '../../append-all';
import { recognizeScheme } from '../recognize-scheme';
import { f32Bytes } from '../testing/encode';
import { headerOf } from '../testing/open-fixture';
import { lintStructure } from './lint-structure';

const f32 = (name: string) => ({ name, dtype: 'F32' as const, shape: [], data: f32Bytes([0.1]) });
const expert = (e: number, input: boolean) => [
  {
    name: `m.layers.0.mlp.experts.${e}.up.weight`,
    dtype: 'U8' as const,
    shape: [2, 8],
    data: new Uint8Array(16),
  },
  {
    name: `m.layers.0.mlp.experts.${e}.up.weight_scale`,
    dtype: 'F8_E4M3' as const,
    shape: [2, 1],
    data: new Uint8Array(2),
  },
  f32(`m.layers.0.mlp.experts.${e}.up.weight_scale_2`),
  ...(input ? [f32(`m.layers.0.mlp.experts.${e}.up.input_scale`)] : []),
];

describe('lintStructure', () => {
  it('flags the expert whose siblings have an input_scale it lacks', () => {
    const { header } = headerOf([...expert(0, true), ...expert(1, false), ...expert(2, true)]);
    const findings = lintStructure(recognizeScheme([header], null, null));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'missing-input-scale',
        severity: 'warning',
        module: 'm.layers.0.mlp.experts.1.up',
        tensor: 'm.layers.0.mlp.experts.1.up.weight',
        count: 1,
      }),
    ]);
    expect(findings[0].message).toContain('2 of its 3 sibling experts');
  });

  it('does not flag experts when none or all have input scales', () => {
    const none = headerOf([...expert(0, false), ...expert(1, false)]).header;
    expect(lintStructure(recognizeScheme([none], null, null))).toEqual([]);
  });

  it('flags missing scales, orphans and shape problems with the weight / tensor element counts', () => {
    const { header } = headerOf([
      { name: 'a.weight', dtype: 'U8', shape: [2, 8], data: new Uint8Array(16) },
      f32('a.weight_scale_2'),
      { name: 'b.weight_scale', dtype: 'F8_E4M3', shape: [3], data: new Uint8Array(3) },
      { name: 'c.weight', dtype: 'F8_E4M3', shape: [4, 4], data: new Uint8Array(16) },
      { name: 'c.weight_scale', dtype: 'F32', shape: [3], data: new Uint8Array(12) },
    ]);
    const findings = lintStructure(recognizeScheme([header], null, null));
    expect(findings.map((f) => [f.rule, f.severity, f.module, f.tensor, f.count])).toEqual([
      ['missing-scale', 'error', 'a', 'a.weight', 16],
      ['orphan-scale', 'warning', 'b', 'b.weight_scale', 3],
      ['scale-shape', 'error', 'c', 'c.weight_scale', 3],
    ]);
  });
});

describe('lintStructure at MoE scale', () => {
  it('groups 40,000 experts of one layer in one pass (rebuilding sibling lists took 76 s)', () => {
    const EXPERTS = 40_000;
    const tensors: ReturnType<typeof expert> = [];
    for (let e = 0; e < EXPERTS; e++) {
      appendAll(tensors, expert(e, e % 1000 !== 7));
    }
    const { header } = headerOf(tensors);
    const findings = lintStructure(recognizeScheme([header], null, null)).filter(
      (f) => f.rule === 'missing-input-scale',
    );
    expect(findings.map((f) => f.module)).toEqual(
      Array.from({ length: EXPERTS / 1000 }, (_, k) => `m.layers.0.mlp.experts.${k * 1000 + 7}.up`),
    );
    expect(findings[0].message).toContain(
      `${EXPERTS - EXPERTS / 1000} of its ${EXPERTS} sibling experts`,
    );
  });
});
