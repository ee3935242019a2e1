import { buildSafetensors } from '../core/format/build-safetensors';
import type { TensorSpec } from '../core/format/build-safetensors';
import { gptOssExperts, randomMatrix } from '../core/quant/testing/modules-float';
import type { InMemoryFile } from './app-page';

/** The E8M0 scale that holds a NaN (0xFF), as gpt-oss stores it: U8 `*_scales`. */
export const MXFP4_NAN_TENSOR = 'model.layers.1.mlp.experts.down_proj_scales';
/** Where in it (flat index). */
export const MXFP4_NAN_INDEX = 5;

/** A two-layer gpt-oss MXFP4 checkpoint (U8 blocks and scales) with one E8M0 NaN scale byte. */
export function mxfp4NanCheckpoint(): InMemoryFile {
  const tensors: TensorSpec[] = [];
  for (let layer = 0; layer < 2; layer++) {
    for (const [proj, rows, cols] of [
      ['gate_up_proj', 64, 64],
      ['down_proj', 32, 64],
    ] as const) {
      const prefix = `model.layers.${layer}.mlp.experts.${proj}`;
      const built = gptOssExperts(
        prefix,
        [0, 1].map((e) => randomMatrix(rows, cols, 300 + layer * 10 + e)),
      );
      for (const t of built.tensors) {
        if (t.name === MXFP4_NAN_TENSOR) {
          const data = t.data.slice();
          data[MXFP4_NAN_INDEX] = 0xff;
          tensors.push({ ...t, data });
        } else {
          tensors.push(t);
        }
      }
    }
  }
  return { name: 'gpt-oss-mxfp4.safetensors', buffer: Buffer.from(buildSafetensors(tensors)) };
}

/** Files that are not safetensors at all, named as shards. */
export function invalidFiles(count: number): InMemoryFile[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `model-0000${i + 1}-of-0000${count}.safetensors`,
    buffer: Buffer.from(`not a safetensors file ${i}`),
  }));
}

/** A three-shard checkpoint (one BF16 weight per layer) with its index; shard 2 (layer 1) is left out. */
export function checkpointMissingShard(): InMemoryFile[] {
  const shardName = (i: number) => `model-0000${i + 1}-of-00003.safetensors`;
  const name = (layer: number) => `model.layers.${layer}.mlp.up_proj.weight`;
  const shard = (layer: number): InMemoryFile => ({
    name: shardName(layer),
    buffer: Buffer.from(
      buildSafetensors([
        { name: name(layer), dtype: 'BF16', shape: [2, 4], data: new Uint8Array(16).fill(0x3f) },
      ]),
    ),
  });
  const index = {
    metadata: { total_size: 48 },
    weight_map: Object.fromEntries([0, 1, 2].map((l) => [name(l), shardName(l)])),
  };
  return [
    shard(0),
    shard(2),
    { name: 'model.safetensors.index.json', buffer: Buffer.from(JSON.stringify(index)) },
  ];
}

/** The shard `checkpointMissingShard` leaves out. */
export function checkpointMissingShardAll(): InMemoryFile {
  return {
    name: 'model-00002-of-00003.safetensors',
    buffer: Buffer.from(
      buildSafetensors([
        {
          name: 'model.layers.1.mlp.up_proj.weight',
          dtype: 'BF16',
          shape: [2, 4],
          data: new Uint8Array(16).fill(0x3f),
        },
      ]),
    ),
  };
}
