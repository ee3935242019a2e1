/**
 * A small NVFP4 checkpoint in ModelOpt's layout, written as the reference safetensors writer
 * orders tensors (dtype descending, then name: `safetensors/src/tensor.rs` `prepare()`), in two
 * shards with an index and configs: what a remote scan is measured on. Weights are 2–4 MiB each so
 * that they are not "small tensors" (scan-order.ts SMALL_TENSOR_BYTES) and the byte budget means
 * something. One block-scale byte is NaN (0x7F) and one norm holds a BF16 NaN.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSafetensors } from '../../core/format/build-safetensors';
import type { TensorSpec } from '../../core/format/build-safetensors';
import type { Dtype } from '../../core/dtype/dtype';
import { lcgBytes } from '../../core/testing/lcg-bytes';

/** The safetensors `Dtype` enum order (safetensors/src/tensor.rs); the writer sorts descending. */
const WRITER_DTYPE_ORDER: readonly Dtype[] = [
  'BOOL',
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
];

/** Tensors in the reference writer's order: dtype descending, then name. */
export function referenceOrder<T extends { name: string; dtype: Dtype }>(
  tensors: readonly T[],
): T[] {
  const rank = (d: Dtype): number => WRITER_DTYPE_ORDER.indexOf(d);
  return [...tensors].sort(
    (a, b) => rank(b.dtype) - rank(a.dtype) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

const HIDDEN = 2048;
const INTERMEDIATE = 4096;
const VOCAB = 1024;
const BLOCK = 16;
/** Finite E4M3 block-scale codes 0x08..0x77 (2^-7 .. 2^8). */
function scaleBytes(n: number, seed: number): Uint8Array {
  const b = lcgBytes(n, seed);
  for (let i = 0; i < n; i++) {
    b[i] = 0x08 + (b[i] % 0x70);
  }
  return b;
}

function bf16(n: number, value: number): Uint8Array {
  const f = new Float32Array(n).fill(value);
  const u = new Uint16Array(f.buffer);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = u[2 * i + 1];
  }
  return new Uint8Array(out.buffer);
}

function f32(value: number): Uint8Array {
  return new Uint8Array(Float32Array.of(value).buffer);
}

function linear(prefix: string, out: number, inp: number, seed: number): TensorSpec[] {
  return [
    {
      name: `${prefix}.weight`,
      dtype: 'U8',
      shape: [out, inp / 2],
      data: lcgBytes((out * inp) / 2, seed),
    },
    {
      name: `${prefix}.weight_scale`,
      dtype: 'F8_E4M3',
      shape: [out, inp / BLOCK],
      data: scaleBytes((out * inp) / BLOCK, seed + 1),
    },
    { name: `${prefix}.weight_scale_2`, dtype: 'F32', shape: [], data: f32(1 / 448 / 6) },
    { name: `${prefix}.input_scale`, dtype: 'F32', shape: [], data: f32(1 / 448 / 6) },
  ];
}

function layer(i: number): TensorSpec[] {
  const p = `model.layers.${i}`;
  const projections: [string, number, number][] = [
    ['self_attn.q_proj', HIDDEN, HIDDEN],
    ['self_attn.k_proj', HIDDEN, HIDDEN],
    ['self_attn.v_proj', HIDDEN, HIDDEN],
    ['self_attn.o_proj', HIDDEN, HIDDEN],
    ['mlp.gate_proj', INTERMEDIATE, HIDDEN],
    ['mlp.up_proj', INTERMEDIATE, HIDDEN],
    ['mlp.down_proj', HIDDEN, INTERMEDIATE],
  ];
  return [
    { name: `${p}.input_layernorm.weight`, dtype: 'BF16', shape: [HIDDEN], data: bf16(HIDDEN, 1) },
    {
      name: `${p}.post_attention_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: bf16(HIDDEN, 1),
    },
    ...projections.flatMap(([name, out, inp], k) =>
      linear(`${p}.${name}`, out, inp, 1000 * i + 10 * k),
    ),
  ];
}

export const FIXTURE_SHARDS = [
  'model-00001-of-00002.safetensors',
  'model-00002-of-00002.safetensors',
];

/** The two shards' tensors, each shard in reference order, with the faults described above. */
export function fixtureShards(): TensorSpec[][] {
  const first = [
    {
      name: 'model.embed_tokens.weight',
      dtype: 'BF16',
      shape: [VOCAB, HIDDEN],
      data: bf16(VOCAB * HIDDEN, 0.01),
    } as TensorSpec,
    ...layer(0),
  ];
  const second = [
    ...layer(1),
    {
      name: 'model.norm.weight',
      dtype: 'BF16',
      shape: [HIDDEN],
      data: bf16(HIDDEN, 1),
    } as TensorSpec,
    {
      name: 'lm_head.weight',
      dtype: 'BF16',
      shape: [VOCAB, HIDDEN],
      data: bf16(VOCAB * HIDDEN, 0.01),
    } as TensorSpec,
  ];
  // The ModelOpt bug: a NaN (0x7F) block-scale byte; and a NaN in a norm.
  first.find((t) => t.name === 'model.layers.0.mlp.up_proj.weight_scale')?.data.set([0x7f], 77);
  second.find((t) => t.name === 'model.norm.weight')?.data.set([0xc0, 0x7f], 10);
  return [referenceOrder(first), referenceOrder(second)];
}

/** The configs ModelOpt writes for an NVFP4 export. */
export const FIXTURE_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  quantization_config: { quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16 },
};
export const FIXTURE_QUANT_CONFIG = {
  producer: { name: 'modelopt', version: '0.29.0' },
  quantization: {
    quant_algo: 'NVFP4',
    group_size: 16,
    kv_cache_quant_algo: null,
    exclude_modules: ['lm_head'],
  },
};

/** Writes the checkpoint into `dir` (created); returns the file names written. */
export function writeFixture(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const shards = fixtureShards();
  const weightMap: Record<string, string> = {};
  let total = 0;
  shards.forEach((tensors, i) => {
    writeFileSync(join(dir, FIXTURE_SHARDS[i]), buildSafetensors(tensors));
    for (const t of tensors) {
      weightMap[t.name] = FIXTURE_SHARDS[i];
      total += t.data.length;
    }
  });
  writeFileSync(
    join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify(FIXTURE_CONFIG));
  writeFileSync(join(dir, 'hf_quant_config.json'), JSON.stringify(FIXTURE_QUANT_CONFIG));
  return [...FIXTURE_SHARDS, 'model.safetensors.index.json', 'config.json', 'hf_quant_config.json'];
}

/**
 * A DeepSeek-style FP8 block checkpoint (F8_E4M3 weights, F32 `weight_scale_inv` per 128 x 128
 * block) in one shard, in reference order: the FP8-block budget's fixture (scales ~0.02 %).
 */
export function writeFp8BlockFixture(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const tensors: TensorSpec[] = [
    {
      name: 'model.embed_tokens.weight',
      dtype: 'BF16',
      shape: [VOCAB, HIDDEN],
      data: bf16(VOCAB * HIDDEN, 0.01),
    },
    { name: 'model.norm.weight', dtype: 'BF16', shape: [HIDDEN], data: bf16(HIDDEN, 1) },
  ];
  for (let i = 0; i < 2; i++) {
    for (const [k, name] of ['q_proj', 'k_proj', 'v_proj', 'o_proj'].entries()) {
      const prefix = `model.layers.${i}.self_attn.${name}`;
      // E4M3 codes without NaN (0x7F / 0xFF): the lcg bytes with the top code bit pattern cleared.
      const weight = lcgBytes(HIDDEN * HIDDEN, 500 + 10 * i + k).map((b) =>
        (b & 0x7f) === 0x7f ? 0x3f : b,
      );
      tensors.push(
        { name: `${prefix}.weight`, dtype: 'F8_E4M3', shape: [HIDDEN, HIDDEN], data: weight },
        {
          name: `${prefix}.weight_scale_inv`,
          dtype: 'F32',
          shape: [HIDDEN / 128, HIDDEN / 128],
          data: new Uint8Array(new Float32Array((HIDDEN / 128) ** 2).fill(0.001).buffer),
        },
      );
    }
    tensors.push({
      name: `model.layers.${i}.input_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: bf16(HIDDEN, 1),
    });
  }
  writeFileSync(join(dir, 'model.safetensors'), buildSafetensors(referenceOrder(tensors)));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['DeepseekV3ForCausalLM'],
      quantization_config: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
    }),
  );
  return ['model.safetensors', 'config.json'];
}
