import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../core/format/build-safetensors';
import { memorySource } from '../core/io/byte-source';
import { openCheckpoint } from '../core/format/open-checkpoint';
import { missingShards } from './missing-tensors';

const shard = (name: string) =>
  buildSafetensors([{ name, dtype: 'F32', shape: [1], data: new Uint8Array(4) }]);

describe('missingShards', () => {
  it('lists the tensors the index places in shards that were not given or are invalid', async () => {
    const index = {
      weight_map: {
        'model.layers.0.mlp.up_proj.weight': 'model-00001-of-00003.safetensors',
        'model.layers.1.mlp.up_proj.weight': 'model-00002-of-00003.safetensors',
        'model.layers.1.mlp.down_proj.weight': 'model-00002-of-00003.safetensors',
        'model.layers.2.mlp.up_proj.weight': 'model-00003-of-00003.safetensors',
      },
    };
    const c = await openCheckpoint([
      memorySource(
        'ckpt/model-00001-of-00003.safetensors',
        shard('model.layers.0.mlp.up_proj.weight'),
      ),
      memorySource('ckpt/model-00003-of-00003.safetensors', new Uint8Array(3)),
      memorySource(
        'ckpt/model.safetensors.index.json',
        new TextEncoder().encode(JSON.stringify(index)),
      ),
    ]);
    expect(missingShards(c)).toEqual([
      {
        file: 'ckpt/model-00002-of-00003.safetensors',
        tensors: ['model.layers.1.mlp.up_proj.weight', 'model.layers.1.mlp.down_proj.weight'],
      },
      {
        file: 'ckpt/model-00003-of-00003.safetensors',
        tensors: ['model.layers.2.mlp.up_proj.weight'],
      },
    ]);
  });

  it('is empty without an index', async () => {
    const c = await openCheckpoint([memorySource('a.safetensors', shard('x'))]);
    expect(missingShards(c)).toEqual([]);
  });
});
