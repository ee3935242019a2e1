import { describe, expect, it } from 'vitest';
import { memorySource } from '../io/byte-source';
import { buildSafetensors } from './build-safetensors';
import { openCheckpoint } from './open-checkpoint';

const A = 'ckpt/model-00001-of-00002.safetensors';
const B = 'ckpt/model-00002-of-00002.safetensors';
const INDEX = JSON.stringify({
  metadata: {},
  weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' },
});

function sources() {
  const shard = buildSafetensors([
    { name: 'a', dtype: 'F32', shape: [1], data: new Uint8Array(4) },
  ]);
  return [
    memorySource(A, shard),
    memorySource('ckpt/model.safetensors.index.json', new TextEncoder().encode(INDEX)),
  ];
}

describe('openCheckpoint: shards that could not be opened', () => {
  it('reports a shard that is not given as not among the files', async () => {
    const c = await openCheckpoint(sources());
    expect(c.indexErrors.map((e) => [e.code, e.message])).toEqual([
      [
        'IndexShardMissing',
        'ckpt/model.safetensors.index.json: shard "model-00002-of-00002.safetensors" (1 tensor listed) is not among the files [IndexShardMissing]',
      ],
    ]);
  });

  it('takes a shard named in `unreadable` as present but unreadable: no index error of its own', async () => {
    expect((await openCheckpoint(sources(), { unreadable: [B] })).indexErrors).toEqual([]);
    // Windows separators name the same file; a name in another folder is another file.
    expect(
      (await openCheckpoint(sources(), { unreadable: ['ckpt\\model-00002-of-00002.safetensors'] }))
        .indexErrors,
    ).toEqual([]);
    expect(
      (
        await openCheckpoint(sources(), { unreadable: ['other/model-00002-of-00002.safetensors'] })
      ).indexErrors.map((e) => e.code),
    ).toEqual(['IndexShardMissing']);
  });
});
