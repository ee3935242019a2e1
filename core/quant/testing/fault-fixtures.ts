/**
 * Fixtures with planted faults, one or more per lint rule, each listing the findings it must
 * produce (rule, module, count).
 */
import { swizzleIndex } from '../swizzle';
import { E4M3_MAX_CODE, E4M3_NAN, E4M3_NEG_NAN, E8M0_NAN, f32Bytes } from './encode';
import type { QuantFixture } from './fixture-kit';
import { edits, replaceTensor, setBytes, singleFile, tensorOf } from './fixture-kit';
import { hfConfig, modelOptConfig } from './fixture-configs';
import { comfyNvfp4, fp8Module, gptOssExperts, modelOptNvfp4, randomMatrix } from './modules-float';
import { plainBf16 } from './modules-int';
import { nvfp4Global } from './quantize';

const L0 = 'model.layers.0';
const L1 = 'model.layers.1';
const L2 = 'model.layers.2';

function scalar(
  name: string,
  value: number,
): { name: string; dtype: 'F32'; shape: number[]; data: Uint8Array } {
  return { name, dtype: 'F32', shape: [], data: f32Bytes([value]) };
}

/** ModelOpt NVFP4 [32, 64] modules (scale [32, 4], weight U8 [32, 32]) with one fault each. */
function nvfp4Faults(): QuantFixture {
  const names = [
    `${L0}.self_attn.q_proj`,
    `${L0}.self_attn.k_proj`,
    `${L0}.self_attn.v_proj`,
    `${L0}.mlp.gate_proj`,
    `${L0}.mlp.up_proj`,
    `${L1}.self_attn.q_proj`,
    `${L1}.self_attn.k_proj`,
    `${L1}.self_attn.v_proj`,
    `${L1}.mlp.down_proj`,
    'lm_head',
    ...[0, 1, 2].map((e) => `${L2}.mlp.experts.${e}.down_proj`),
  ];
  const matrices = names.map((_, i) => randomMatrix(32, 64, 100 + i));
  // Fused siblings share one global scale, as ModelOpt writes them (q/k/v, gate/up per layer).
  const family = (p: string): string =>
    p.replace(/\.(q|k|v)_proj$/, '.qkv').replace(/\.(gate|up)_proj$/, '.gate_up');
  const shared = new Map<string, number>();
  names.forEach((p, i) => {
    const key = family(p);
    shared.set(key, Math.max(shared.get(key) ?? 0, nvfp4Global(matrices[i].values)));
  });
  const modules = Object.fromEntries(
    names.map((p, i) => [
      p,
      modelOptNvfp4(
        p,
        matrices[i],
        p.endsWith('experts.1.down_proj') ? null : 0.01,
        family(p) === p ? null : (shared.get(family(p)) ?? null),
      ),
    ]),
  );
  const down = tensorOf(modules[`${L1}.mlp.down_proj`], `${L1}.mlp.down_proj.weight_scale`);
  return singleFile('nvfp4-faults', {
    modules,
    extra: [
      {
        name: `${L0}.self_attn.rotary.weight_scale`,
        dtype: 'F8_E4M3',
        shape: [4, 4],
        data: new Uint8Array(16).fill(0x38),
      },
    ],
    hfQuantConfig: modelOptConfig('NVFP4'),
    edit: edits(
      setBytes(`${L0}.self_attn.q_proj.weight_scale`, [
        [3, E4M3_NAN],
        [10, E4M3_NEG_NAN],
      ]),
      setBytes(`${L0}.self_attn.k_proj.weight_scale`, [
        [0, 0x00],
        [5, 0x00],
      ]),
      replaceTensor(`${L0}.self_attn.v_proj.weight_scale`, null),
      replaceTensor(
        `${L0}.mlp.gate_proj.weight_scale_2`,
        scalar(`${L0}.mlp.gate_proj.weight_scale_2`, 0),
      ),
      replaceTensor(
        `${L0}.mlp.up_proj.input_scale`,
        scalar(`${L0}.mlp.up_proj.input_scale`, Infinity),
      ),
      replaceTensor(
        `${L1}.self_attn.q_proj.input_scale`,
        scalar(`${L1}.self_attn.q_proj.input_scale`, -0.5),
      ),
      setBytes(
        `${L1}.self_attn.k_proj.weight_scale`,
        Array.from({ length: 128 }, (_, i) => [i, E4M3_MAX_CODE] as const),
      ),
      setBytes(`${L1}.self_attn.v_proj.weight_scale`, [
        [0, 0x01],
        [1, 0x01],
        [2, 0x01],
      ]),
      replaceTensor(down.name, { ...down, shape: [32, 2], data: down.data.slice(0, 64) }),
    ),
    expected: {
      scheme: 'nvfp4',
      producer: 'modelopt',
      source: 'config',
      findings: [
        { rule: 'nan-scale', module: `${L0}.self_attn.q_proj`, count: 2 },
        { rule: 'zero-scale-nonzero-block', module: `${L0}.self_attn.k_proj`, count: 2 },
        { rule: 'missing-scale', module: `${L0}.self_attn.v_proj`, count: 1024 },
        { rule: 'orphan-scale', module: `${L0}.self_attn.rotary`, count: 16 },
        { rule: 'bad-global-scale', module: `${L0}.mlp.gate_proj`, count: 1 },
        { rule: 'inf-scale', module: `${L0}.mlp.up_proj`, count: 1 },
        { rule: 'bad-global-scale', module: `${L1}.self_attn.q_proj`, count: 1 },
        { rule: 'saturated-scale', module: `${L1}.self_attn.k_proj`, count: 128 },
        { rule: 'subnormal-scale', module: `${L1}.self_attn.v_proj`, count: 3 },
        { rule: 'scale-shape', module: `${L1}.mlp.down_proj`, count: 64 },
        { rule: 'excluded-but-quantized', module: 'lm_head', count: 1024 },
        { rule: 'missing-input-scale', module: `${L2}.mlp.experts.1.down_proj`, count: 1 },
      ],
    },
  });
}

/** ComfyUI NVFP4 [48, 64]: NaN E4M3 bytes (stored as U8) at two logical scales and one in the padding. */
function comfyFaults(): QuantFixture {
  const p = 'blocks.0.ffn.0';
  const cols = 4;
  return singleFile('comfy-nan-scales', {
    modules: { [p]: comfyNvfp4(p, randomMatrix(48, 64, 200)) },
    edit: setBytes(`${p}.weight_scale`, [
      [swizzleIndex(2, 1, cols), E4M3_NAN],
      [swizzleIndex(40, 3, cols), E4M3_NEG_NAN],
      // Row 100 is padding (48 real rows): never read, never counted.
      [swizzleIndex(100, 0, cols), E4M3_NAN],
    ]),
    expected: {
      scheme: 'nvfp4',
      producer: 'comfyui',
      source: 'names',
      findings: [{ rule: 'nan-scale', module: p, count: 2 }],
    },
  });
}

/** gpt-oss MXFP4: E8M0 0xFF (NaN) scales, and a `_blocks` tensor whose `_scales` is gone. */
function gptOssFaults(): QuantFixture {
  const gateUp = `${L0}.mlp.experts.gate_up_proj`;
  const down = `${L0}.mlp.experts.down_proj`;
  return singleFile('gptoss-nan-scales', {
    modules: {
      [gateUp]: gptOssExperts(
        gateUp,
        [0, 1].map((e) => randomMatrix(64, 64, 210 + e)),
      ),
      [down]: gptOssExperts(
        down,
        [0, 1].map((e) => randomMatrix(64, 32, 212 + e)),
      ),
    },
    edit: edits(
      setBytes(`${gateUp}_scales`, [
        [0, E8M0_NAN],
        [7, E8M0_NAN],
        [200, E8M0_NAN],
      ]),
      replaceTensor(`${down}_scales`, null),
    ),
    expected: {
      scheme: 'mxfp4',
      producer: 'gpt-oss',
      source: 'names',
      findings: [
        { rule: 'nan-scale', module: gateUp, count: 3 },
        { rule: 'missing-scale', module: down, count: 2048 },
      ],
    },
  });
}

function configFaults(): QuantFixture[] {
  const a = `${L0}.self_attn.o_proj`;
  const b = `${L0}.mlp.gate_proj`;
  return [
    singleFile('config-nvfp4-but-bf16', {
      extra: [plainBf16(`${a}.weight`, randomMatrix(32, 64, 220))],
      hfQuantConfig: modelOptConfig('NVFP4'),
      expected: {
        scheme: 'none',
        producer: null,
        source: null,
        findings: [{ rule: 'config-mismatch', module: null, count: 1 }],
      },
    }),
    singleFile('config-none-but-fp8', {
      modules: {
        [a]: fp8Module(a, randomMatrix(32, 64, 221), 'modelopt-tensor'),
        [b]: fp8Module(b, randomMatrix(32, 64, 222), 'modelopt-tensor'),
      },
      config: hfConfig(),
      expected: {
        scheme: 'fp8-tensor',
        producer: 'modelopt',
        source: 'names',
        findings: [{ rule: 'config-mismatch', module: null, count: 2 }],
      },
    }),
    singleFile('config-fp8-but-nvfp4', {
      modules: {
        [a]: modelOptNvfp4(a, randomMatrix(32, 64, 223)),
        [b]: modelOptNvfp4(b, randomMatrix(32, 64, 224)),
      },
      hfQuantConfig: modelOptConfig('FP8'),
      expected: {
        scheme: 'nvfp4',
        producer: 'modelopt',
        source: 'names',
        findings: [{ rule: 'config-mismatch', module: null, count: 2 }],
      },
    }),
    singleFile('deepseek-missing-scale-inv', {
      // unsloth #6978: `weight_scale_inv` dropped on save; the FP8 weight is then ~200x too large.
      modules: {
        [a]: fp8Module(a, randomMatrix(200, 300, 225), 'deepseek'),
        [b]: fp8Module(b, randomMatrix(64, 64, 226), 'deepseek'),
      },
      config: hfConfig({
        quant_method: 'fp8',
        fmt: 'e4m3',
        activation_scheme: 'dynamic',
        weight_block_size: [128, 128],
      }),
      edit: replaceTensor(`${a}.weight_scale_inv`, null),
      expected: {
        scheme: 'fp8-block',
        producer: 'deepseek',
        source: 'config',
        findings: [{ rule: 'missing-scale', module: a, count: 60000 }],
      },
    }),
  ];
}

/** Every fault fixture. */
export function faultFixtures(): QuantFixture[] {
  return [nvfp4Faults(), comfyFaults(), gptOssFaults(), ...configFaults()];
}
