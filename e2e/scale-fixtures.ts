import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import type { InMemoryFile } from './app-page';

/** Fixtures at the size of real checkpoints (issue 12), built in memory at test time. */

const BF16_ONE = 0x3f80;
const BF16_NAN = 0x7fc0;
/** E4M3 1.0 and a NaN byte; FP4 E2M1 code pair 0x22 = (1.0, 1.0). */
const E4M3_ONE = 0x38;
const E4M3_NAN = 0x7f;
const FP4_ONES = 0x22;

function bf16(name: string, nanAt: readonly number[] = []): TensorSpec {
  const words = new Uint16Array(16).fill(BF16_ONE);
  for (const i of nanAt) {
    words[i] = BF16_NAN;
  }
  return { name, dtype: 'BF16', shape: [4, 4], data: new Uint8Array(words.buffer) };
}

export const DENSE_MODULES = [
  'self_attn.q_proj',
  'self_attn.k_proj',
  'self_attn.v_proj',
  'self_attn.o_proj',
  'mlp.gate_proj',
  'mlp.up_proj',
  'mlp.down_proj',
] as const;

/** Where the 94-layer model holds NaN: [layer, module], one NaN element each. */
export const DENSE_NANS: readonly (readonly [number, string])[] = [
  [0, 'self_attn.q_proj'],
  [46, 'mlp.up_proj'],
  [93, 'mlp.down_proj'],
];

/** A dense model (7 BF16 projections per layer), 94 layers by default, NaN planted where `nans` says. */
export function denseModel(
  layers = 94,
  nans: readonly (readonly [number, string])[] = DENSE_NANS,
): InMemoryFile {
  const tensors: TensorSpec[] = [bf16('model.embed_tokens.weight')];
  for (let layer = 0; layer < layers; layer++) {
    for (const module of DENSE_MODULES) {
      const nan = nans.some(([l, m]) => l === layer && m === module);
      tensors.push(bf16(`model.layers.${layer}.${module}.weight`, nan ? [5] : []));
    }
  }
  tensors.push(bf16('lm_head.weight'));
  return { name: `dense-${layers}.safetensors`, buffer: Buffer.from(buildSafetensors(tensors)) };
}

export const MOE_LAYERS = 48;
export const MOE_EXPERTS = 64;
export const MOE_SHARDS = 4;
export const MOE_PROJECTIONS = ['gate_proj', 'up_proj', 'down_proj'] as const;
/** NaN block scales of the MoE: [layer, expert, projection]; the last one sits in the last shard. */
export const MOE_NANS: readonly (readonly [number, number, string])[] = [
  [3, 5, 'gate_proj'],
  [47, 63, 'down_proj'],
];

function moeExpert(layer: number, expert: number, projection: string): TensorSpec[] {
  const prefix = `model.layers.${layer}.mlp.experts.${expert}.${projection}`;
  const scale = new Uint8Array(4).fill(E4M3_ONE);
  if (MOE_NANS.some(([l, e, p]) => l === layer && e === expert && p === projection)) {
    scale[1] = E4M3_NAN;
  }
  return [
    // 4 rows × 16 FP4 values: 8 bytes per row, one 16-value block per row.
    {
      name: `${prefix}.weight`,
      dtype: 'U8',
      shape: [4, 8],
      data: new Uint8Array(32).fill(FP4_ONES),
    },
    { name: `${prefix}.weight_scale`, dtype: 'F8_E4M3', shape: [4, 1], data: scale },
    {
      name: `${prefix}.weight_scale_2`,
      dtype: 'F32',
      shape: [],
      data: new Uint8Array(new Float32Array([1 / 448]).buffer),
    },
  ];
}

/**
 * A 48-layer × 64-expert NVFP4 MoE (ModelOpt names) in 4 shards of 12 layers, with its index:
 * 27,648 expert tensors plus the attention and router of each layer.
 */
export function moeCheckpoint(): InMemoryFile[] {
  const files: InMemoryFile[] = [];
  const weightMap: Record<string, string> = {};
  const perShard = MOE_LAYERS / MOE_SHARDS;
  for (let shard = 0; shard < MOE_SHARDS; shard++) {
    const name = `model-0000${shard + 1}-of-0000${MOE_SHARDS}.safetensors`;
    const tensors: TensorSpec[] = [];
    for (let layer = shard * perShard; layer < (shard + 1) * perShard; layer++) {
      tensors.push(bf16(`model.layers.${layer}.self_attn.q_proj.weight`));
      tensors.push(bf16(`model.layers.${layer}.mlp.gate.weight`));
      for (let expert = 0; expert < MOE_EXPERTS; expert++) {
        for (const projection of MOE_PROJECTIONS) {
          for (const t of moeExpert(layer, expert, projection)) {
            tensors.push(t);
          }
        }
      }
    }
    for (const t of tensors) {
      weightMap[t.name] = name;
    }
    files.push({ name, buffer: Buffer.from(buildSafetensors(tensors)) });
  }
  const index = { metadata: {}, weight_map: weightMap };
  files.push({ name: 'model.safetensors.index.json', buffer: Buffer.from(JSON.stringify(index)) });
  return files;
}

/** 120 tiny one-tensor shards; shards 7 and 100 are not safetensors (a header length past the end). */
export const TINY_SHARDS = 120;
export const INVALID_SHARDS = [7, 100];

export function manyShards(): InMemoryFile[] {
  const files: InMemoryFile[] = [];
  for (let i = 1; i <= TINY_SHARDS; i++) {
    const name = `model-${String(i).padStart(5, '0')}-of-00120.safetensors`;
    const buffer = INVALID_SHARDS.includes(i)
      ? Buffer.from([0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0x7b, 0x7d])
      : Buffer.from(buildSafetensors([bf16(`model.layers.${i - 1}.mlp.up_proj.weight`)]));
    files.push({ name, buffer });
  }
  return files;
}
