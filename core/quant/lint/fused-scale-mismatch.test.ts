import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../../format/build-safetensors';
import { f32Bytes } from '../testing/encode';
import { ctConfig, modelOptConfig } from '../testing/fixture-configs';
import { lintFixture, rawFixture, ruleFindings } from '../testing/lint-fixture';
import {
  ctNvfp4,
  fp8Module,
  fusedNvfp4Global,
  modelOptNvfp4,
  randomMatrix,
} from '../testing/modules-float';

const NVFP4_CT = ctConfig('nvfp4-pack-quantized', {
  num_bits: 4,
  type: 'float',
  strategy: 'tensor_group',
  group_size: 16,
});

/** compressed-tensors NVFP4 modules whose `weight_global_scale` [1] is set to `globals[prefix]`. */
function ctModules(globals: Readonly<Record<string, number>>): TensorSpec[] {
  return Object.entries(globals).flatMap(([prefix, g], i) =>
    ctNvfp4(prefix, randomMatrix(32, 64, 300 + i)).tensors.map((t) =>
      t.name.endsWith('.weight_global_scale') ? { ...t, data: f32Bytes([g]) } : t,
    ),
  );
}

describe('fused-scale-mismatch', () => {
  it('Wan2.2 AutoRound NVFP4: q/k/v weight_global_scale 12343 / 5334 / 8001 (auto-round #2380)', async () => {
    const p = 'blocks.0.self_attn';
    const { findings } = await lintFixture(
      rawFixture(ctModules({ [`${p}.q`]: 12343, [`${p}.k`]: 5334, [`${p}.v`]: 8001 }), {
        config: NVFP4_CT,
      }),
    );
    // One finding for the fused group, on the smallest (k); all three siblings compared.
    expect(ruleFindings(findings, 'fused-scale-mismatch')).toEqual([['warning', `${p}.k`, 3]]);
    const f = findings.find((x) => x.rule === 'fused-scale-mismatch');
    expect(f?.message).toContain('ratio 2.314'); // 12343 / 5334
    expect(f?.message).toContain('reciprocal');
  });

  it('Qwen3-8B llm-compressor NVFP4: gate ≠ up, ratio 2.14 (vllm #47515); equal globals are healthy', async () => {
    const L = 'model.layers.7.mlp';
    const bad = await lintFixture(
      rawFixture(ctModules({ [`${L}.gate_proj`]: 1000, [`${L}.up_proj`]: 2140 }), {
        config: NVFP4_CT,
      }),
    );
    expect(ruleFindings(bad.findings, 'fused-scale-mismatch')).toEqual([
      ['warning', `${L}.gate_proj`, 2],
    ]);
    const healthy = await lintFixture(
      rawFixture(ctModules({ [`${L}.gate_proj`]: 2140, [`${L}.up_proj`]: 2140 }), {
        config: NVFP4_CT,
      }),
    );
    expect(healthy.findings).toEqual([]);
  });

  it('ModelOpt weight_scale_2: siblings in different layers or experts are not fused', async () => {
    const ws = [0, 1].map((i) => randomMatrix(32, 64, 310 + i));
    const shared = fusedNvfp4Global(ws);
    const tensors = [
      ...modelOptNvfp4('model.layers.0.self_attn.q_proj', ws[0], 0.01, shared).tensors,
      ...modelOptNvfp4('model.layers.0.self_attn.k_proj', ws[1], 0.01, shared).tensors,
      // Another layer's v_proj with its own global: a different GEMM.
      ...modelOptNvfp4('model.layers.1.self_attn.v_proj', ws[1], 0.01, shared * 3).tensors,
    ];
    const { findings } = await lintFixture(
      rawFixture(tensors, { hfQuantConfig: modelOptConfig('NVFP4') }),
    );
    expect(findings).toEqual([]);
  });

  it('MoE experts: gate/up of one expert 1.25× apart (TensorRT-LLM #14199), the other experts equal', async () => {
    const expert = (e: number, m: string): string => `model.layers.0.mlp.experts.${e}.${m}`;
    const tensors = [0, 1, 2, 3].flatMap((e) => {
      const gate = randomMatrix(32, 64, 330 + 2 * e);
      const up = randomMatrix(32, 64, 331 + 2 * e);
      const shared = fusedNvfp4Global([gate, up]);
      return [
        ...modelOptNvfp4(expert(e, 'gate_proj'), gate, 0.01, shared).tensors,
        ...modelOptNvfp4(expert(e, 'up_proj'), up, 0.01, e === 2 ? shared * 1.25 : shared).tensors,
      ];
    });
    const { findings } = await lintFixture(
      rawFixture(tensors, { hfQuantConfig: modelOptConfig('NVFP4') }),
    );
    expect(ruleFindings(findings, 'fused-scale-mismatch')).toEqual([
      ['warning', expert(2, 'gate_proj'), 2],
    ]);
    expect(findings.find((f) => f.rule === 'fused-scale-mismatch')?.message).toContain(
      'ratio 1.25',
    );
  });

  it('FP8 per-tensor weight scales: ~1.1 is healthy (no finding), above 2 an info', async () => {
    const L = 'model.layers.0.self_attn';
    const scaled = (seed: number, std: number): ReturnType<typeof randomMatrix> => {
      const m = randomMatrix(32, 64, seed);
      return { ...m, values: m.values.map((v) => (v * std) / 0.02) };
    };
    const build = (kStd: number): TensorSpec[] => [
      ...fp8Module(`${L}.q_proj`, scaled(320, 0.02), 'modelopt-tensor').tensors,
      ...fp8Module(`${L}.k_proj`, scaled(321, kStd), 'modelopt-tensor').tensors,
    ];
    const cfg = { hfQuantConfig: modelOptConfig('FP8') };
    const near = await lintFixture(rawFixture(build(0.022), cfg));
    expect(ruleFindings(near.findings, 'fused-scale-mismatch')).toEqual([]);
    const far = await lintFixture(rawFixture(build(0.06), cfg));
    expect(ruleFindings(far.findings, 'fused-scale-mismatch')).toEqual([
      ['info', `${L}.q_proj`, 2],
    ]);
    expect(far.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
