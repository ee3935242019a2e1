/**
 * Generates small quantized checkpoints for every scheme ckptscope recognises, from the formulas
 * of ../shared/reference/formats.md, as pure functions returning safetensors bytes (via
 * core/format/build-safetensors.ts) and configs. Tests generate them at run time; nothing binary
 * is committed. `scripts/make-quant-fixtures.ts` writes them to a folder for manual CLI runs.
 *
 * `CLEAN_FIXTURES` have no findings; `FAULT_FIXTURES` (fault-fixtures.ts) plant each lint rule.
 */
import type { QuantFixture } from './fixture-kit';
import { singleFile, twoShards } from './fixture-kit';
import { faultFixtures } from './fault-fixtures';
import { ctConfig, hfConfig, modelOptConfig } from './fixture-configs';
import {
  comfyNvfp4,
  ctMxfp4,
  FIXTURE_INPUT_SCALE,
  fusedNvfp4Global,
  ctNvfp4,
  fp8Module,
  gptOssExperts,
  modelOptFusedExperts,
  modelOptMxfp8,
  modelOptNvfp4,
  modelOptTransposedExperts,
  randomMatrix,
} from './modules-float';
import type { Fp8Style } from './modules-float';
import { autoAwq, bnbNf4, ctW4a16, gptq, modelOptAwq, plainBf16 } from './modules-int';

export type { ExpectedFinding, FixtureFile, QuantFixture } from './fixture-kit';
export { ctConfig, hfConfig, modelOptConfig } from './fixture-configs';

const L0 = 'model.layers.0';
const CLEAN = { findings: [] };

function modelOptNvfp4Fixture(): QuantFixture {
  return singleFile('modelopt-nvfp4', {
    modules: {
      [`${L0}.self_attn.q_proj`]: modelOptNvfp4(`${L0}.self_attn.q_proj`, randomMatrix(32, 64, 1)),
      [`${L0}.mlp.down_proj`]: modelOptNvfp4(`${L0}.mlp.down_proj`, randomMatrix(64, 32, 2)),
    },
    extra: [plainBf16('lm_head.weight', randomMatrix(16, 64, 3))],
    hfQuantConfig: modelOptConfig('NVFP4'),
    config: hfConfig({ quant_method: 'modelopt', quant_algo: 'NVFP4', ignore: ['lm_head'] }),
    expected: { scheme: 'nvfp4', producer: 'modelopt', source: 'config', ...CLEAN },
  });
}

function modelOptMoeFixture(): QuantFixture {
  const experts = (seed: number): ReturnType<typeof randomMatrix>[] =>
    [0, 1, 2].map((e) => randomMatrix(32, 64, seed + e));
  const separate = Object.fromEntries(
    [0, 1, 2].map((e) => {
      const p = `${L0}.mlp.experts.${e}.down_proj`;
      return [p, modelOptNvfp4(p, randomMatrix(32, 64, 10 + e))];
    }),
  );
  return singleFile('modelopt-nvfp4-moe', {
    modules: {
      ...separate,
      'model.layers.1.mlp.experts.gate_up_proj': modelOptFusedExperts(
        'model.layers.1.mlp.experts.gate_up_proj',
        experts(20),
      ),
      'model.layers.2.mlp.experts.down_proj': modelOptTransposedExperts(
        'model.layers.2.mlp.experts.down_proj',
        experts(30),
      ),
    },
    hfQuantConfig: modelOptConfig('NVFP4'),
    expected: { scheme: 'nvfp4', producer: 'modelopt', source: 'config', ...CLEAN },
  });
}

function modelOptShardedFixture(): QuantFixture {
  const a = `${L0}.self_attn.q_proj`;
  const b = `${L0}.self_attn.k_proj`;
  const c = `${L0}.mlp.up_proj`;
  const qk = [randomMatrix(32, 64, 40), randomMatrix(32, 64, 41)];
  // q_proj and k_proj are fused siblings: one global scale, as ModelOpt exports them.
  const global = fusedNvfp4Global(qk);
  return twoShards(
    'modelopt-nvfp4-sharded',
    {
      modules: {
        [a]: modelOptNvfp4(a, qk[0], FIXTURE_INPUT_SCALE, global),
        [b]: modelOptNvfp4(b, qk[1], FIXTURE_INPUT_SCALE, global),
        [c]: modelOptNvfp4(c, randomMatrix(64, 64, 42)),
      },
      hfQuantConfig: modelOptConfig('NVFP4'),
      expected: { scheme: 'nvfp4', producer: 'modelopt', source: 'config', ...CLEAN },
    },
    // k_proj's weight stays in shard 1, its scales go to shard 2 with up_proj.
    (name) => name.startsWith(c) || (name.startsWith(b) && name !== `${b}.weight`),
  );
}

function fp8Fixture(
  name: string,
  style: Fp8Style,
  parts: { hfQuantConfig?: unknown; config?: unknown },
  expected: QuantFixture['expected'],
  rows = 32,
  cols = 64,
): QuantFixture {
  const p1 = `${L0}.self_attn.o_proj`;
  const p2 = `${L0}.mlp.gate_proj`;
  return singleFile(name, {
    modules: {
      [p1]: fp8Module(p1, randomMatrix(rows, cols, 50), style),
      [p2]: fp8Module(p2, randomMatrix(cols, rows, 51), style),
    },
    ...parts,
    expected,
  });
}

function int4Fixtures(): QuantFixture[] {
  const p = `${L0}.mlp.down_proj`;
  const q = `${L0}.self_attn.q_proj`;
  return [
    singleFile('modelopt-w4a16-awq', {
      modules: { [p]: modelOptAwq(p, randomMatrix(32, 64, 60), 32) },
      hfQuantConfig: modelOptConfig('W4A16_AWQ'),
      expected: { scheme: 'awq', producer: 'modelopt', source: 'config', ...CLEAN },
    }),
    singleFile('autoawq-gemm', {
      modules: { [p]: autoAwq(p, randomMatrix(32, 64, 61), 32) },
      config: hfConfig({
        quant_method: 'awq',
        bits: 4,
        group_size: 32,
        zero_point: true,
        version: 'gemm',
      }),
      expected: { scheme: 'awq', producer: 'autoawq', source: 'config', ...CLEAN },
    }),
    singleFile('gptq', {
      modules: {
        [p]: gptq(p, randomMatrix(32, 64, 62), 32, true),
        [q]: gptq(q, randomMatrix(16, 64, 63), 16, false),
      },
      config: hfConfig({
        quant_method: 'gptq',
        bits: 4,
        group_size: 32,
        desc_act: true,
        sym: false,
      }),
      expected: { scheme: 'gptq', producer: 'gptq', source: 'config', ...CLEAN },
    }),
    singleFile('ct-w4a16', {
      modules: { [p]: ctW4a16(p, randomMatrix(16, 60, 64), 32) },
      config: ctConfig('pack-quantized', {
        num_bits: 4,
        type: 'int',
        strategy: 'group',
        group_size: 32,
        symmetric: false,
        actorder: 'group',
      }),
      expected: {
        scheme: 'w4a16-packed',
        producer: 'compressed-tensors',
        source: 'config',
        ...CLEAN,
      },
    }),
  ];
}

function otherFixtures(): QuantFixture[] {
  const p = `${L0}.mlp.down_proj`;
  const experts = [0, 1].map((e) => randomMatrix(64, 64, 70 + e));
  const downs = [0, 1].map((e) => randomMatrix(64, 32, 72 + e));
  return [
    singleFile('ct-nvfp4', {
      modules: { [p]: ctNvfp4(p, randomMatrix(32, 64, 74)) },
      config: ctConfig('nvfp4-pack-quantized', {
        num_bits: 4,
        type: 'float',
        strategy: 'tensor_group',
        group_size: 16,
      }),
      expected: { scheme: 'nvfp4', producer: 'compressed-tensors', source: 'config', ...CLEAN },
    }),
    singleFile('ct-mxfp4', {
      modules: { [p]: ctMxfp4(p, randomMatrix(32, 64, 75)) },
      config: ctConfig('mxfp4-pack-quantized', {
        num_bits: 4,
        type: 'float',
        strategy: 'group',
        group_size: 32,
      }),
      expected: { scheme: 'mxfp4', producer: 'compressed-tensors', source: 'config', ...CLEAN },
    }),
    singleFile('gptoss-mxfp4', {
      modules: {
        [`${L0}.mlp.experts.gate_up_proj`]: gptOssExperts(
          `${L0}.mlp.experts.gate_up_proj`,
          experts,
        ),
        [`${L0}.mlp.experts.down_proj`]: gptOssExperts(`${L0}.mlp.experts.down_proj`, downs),
      },
      extra: [plainBf16(`${L0}.self_attn.q_proj.weight`, randomMatrix(64, 64, 76))],
      config: hfConfig({
        quant_method: 'mxfp4',
        modules_to_not_convert: [
          'model.layers.*.self_attn',
          'model.layers.*.mlp.router',
          'model.embed_tokens',
          'lm_head',
        ],
      }),
      expected: { scheme: 'mxfp4', producer: 'gpt-oss', source: 'config', ...CLEAN },
    }),
    singleFile('modelopt-mxfp8', {
      modules: { [p]: modelOptMxfp8(p, randomMatrix(32, 64, 77)) },
      hfQuantConfig: modelOptConfig('MXFP8'),
      expected: { scheme: 'mxfp8', producer: 'modelopt', source: 'config', ...CLEAN },
    }),
    singleFile('comfy-nvfp4', {
      modules: {
        'blocks.0.self_attn.q': comfyNvfp4('blocks.0.self_attn.q', randomMatrix(48, 64, 78)),
        'blocks.0.ffn.0': comfyNvfp4('blocks.0.ffn.0', randomMatrix(130, 96, 79)),
      },
      extra: [plainBf16('blocks.0.norm1.weight', randomMatrix(1, 64, 80))],
      expected: { scheme: 'nvfp4', producer: 'comfyui', source: 'names', ...CLEAN },
    }),
    singleFile('bnb-nf4', {
      modules: { [p]: bnbNf4(p, randomMatrix(16, 64, 81)) },
      config: hfConfig({
        quant_method: 'bitsandbytes',
        load_in_4bit: true,
        bnb_4bit_quant_type: 'nf4',
        bnb_4bit_use_double_quant: false,
      }),
      expected: { scheme: 'nf4', producer: 'bitsandbytes', source: 'config', ...CLEAN },
    }),
    singleFile('unquantized', {
      extra: [
        plainBf16(`${L0}.mlp.down_proj.weight`, randomMatrix(32, 64, 82)),
        plainBf16('lm_head.weight', randomMatrix(16, 64, 83)),
      ],
      config: hfConfig(),
      expected: { scheme: 'none', producer: null, source: null, ...CLEAN },
    }),
    singleFile('unscaled-fp8', {
      // FP8 weights without any scale and no config: quantized data in no known layout.
      extra: [
        {
          name: `${L0}.mlp.down_proj.weight`,
          dtype: 'F8_E4M3',
          shape: [4, 8],
          data: new Uint8Array(32).fill(0x38),
        },
      ],
      expected: { scheme: 'unknown', producer: null, source: null, ...CLEAN },
    }),
  ];
}

/** One fixture per scheme and toolchain layout, free of faults. */
export function cleanFixtures(): QuantFixture[] {
  return [
    modelOptNvfp4Fixture(),
    modelOptMoeFixture(),
    modelOptShardedFixture(),
    fp8Fixture(
      'modelopt-fp8-tensor',
      'modelopt-tensor',
      { hfQuantConfig: modelOptConfig('FP8') },
      { scheme: 'fp8-tensor', producer: 'modelopt', source: 'config', ...CLEAN },
    ),
    fp8Fixture(
      'modelopt-fp8-channel',
      'modelopt-channel',
      { hfQuantConfig: modelOptConfig('FP8_PER_CHANNEL_PER_TOKEN') },
      { scheme: 'fp8-channel', producer: 'modelopt', source: 'config', ...CLEAN },
    ),
    fp8Fixture(
      'ct-fp8-tensor',
      'ct-tensor',
      { config: ctConfig('float-quantized', { num_bits: 8, type: 'float', strategy: 'tensor' }) },
      { scheme: 'fp8-tensor', producer: 'compressed-tensors', source: 'config', ...CLEAN },
    ),
    fp8Fixture(
      'ct-fp8-channel',
      'ct-channel',
      { config: ctConfig('float-quantized', { num_bits: 8, type: 'float', strategy: 'channel' }) },
      { scheme: 'fp8-channel', producer: 'compressed-tensors', source: 'config', ...CLEAN },
    ),
    fp8Fixture(
      'ct-fp8-block',
      'ct-block',
      {
        config: ctConfig('float-quantized', {
          num_bits: 8,
          type: 'float',
          strategy: 'block',
          block_structure: [128, 128],
        }),
      },
      { scheme: 'fp8-block', producer: 'compressed-tensors', source: 'config', ...CLEAN },
      200,
      300,
    ),
    fp8Fixture(
      'deepseek-fp8-block',
      'deepseek',
      {
        config: hfConfig({
          quant_method: 'fp8',
          fmt: 'e4m3',
          activation_scheme: 'dynamic',
          weight_block_size: [128, 128],
        }),
      },
      { scheme: 'fp8-block', producer: 'deepseek', source: 'config', ...CLEAN },
      200,
      300,
    ),
    ...int4Fixtures(),
    ...otherFixtures(),
  ];
}

/** Every fixture: the clean ones and those with planted faults. */
export function allQuantFixtures(): QuantFixture[] {
  return [...cleanFixtures(), ...faultFixtures()];
}
