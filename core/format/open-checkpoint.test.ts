import { describe, expect, it } from 'vitest';
import { F } from '../../fixtures/safetensors-catalogue';
import type { ByteSource } from '../io/byte-source';
import { memorySource } from '../io/byte-source';
import { buildSafetensors } from './build-safetensors';
import { openCheckpoint } from './open-checkpoint';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function shard(name: string, tensors: readonly string[]): ByteSource {
  return memorySource(
    name,
    buildSafetensors(
      tensors.map((t) => ({ name: t, dtype: 'U8', shape: [2], data: new Uint8Array(2) })),
    ),
  );
}

describe('openCheckpoint', () => {
  it('classifies sources and checks the index against shards in its folder', async () => {
    const index = {
      metadata: { total_size: 6 },
      weight_map: {
        a: 'model-00001-of-00002.safetensors',
        b: 'model-00001-of-00002.safetensors',
        c: 'model-00002-of-00002.safetensors',
      },
    };
    const checkpoint = await openCheckpoint([
      shard('m/model-00001-of-00002.safetensors', ['a', 'b']),
      memorySource('m/model.safetensors.index.json', encode(JSON.stringify(index))),
      shard('m/model-00002-of-00002.safetensors', ['c']),
      memorySource('m/config.json', encode('{"model_type":"llama"}')),
      memorySource('m/hf_quant_config.json', encode('{"quantization":{"quant_algo":"NVFP4"}}')),
      memorySource('m/README.md', encode('# hi')),
    ]);
    expect(checkpoint.files.map((f) => [f.source.name, f.header?.tensors.length, f.error])).toEqual(
      [
        ['m/model-00001-of-00002.safetensors', 2, null],
        ['m/model-00002-of-00002.safetensors', 1, null],
      ],
    );
    expect(checkpoint.index?.weightMap.size).toBe(3);
    expect(checkpoint.indexErrors).toEqual([]);
    expect(checkpoint.indexWarnings).toEqual([]);
    expect(checkpoint.config).toEqual({ model_type: 'llama' });
    expect(checkpoint.hfQuantConfig).toEqual({ quantization: { quant_algo: 'NVFP4' } });
    expect(checkpoint.configErrors).toEqual([]);
    expect(checkpoint.ignored).toEqual(['m/README.md']);
  });

  it('keeps going past a bad file, a failing read and a bad config', async () => {
    const failing: ByteSource = {
      name: 'model-00002-of-00002.safetensors',
      size: 64,
      read: () => Promise.reject(new Error('disk on fire')),
    };
    const checkpoint = await openCheckpoint([
      memorySource('model-00001-of-00002.safetensors', F('{}', 3)),
      failing,
      memorySource(
        'model.safetensors.index.json',
        encode(
          '{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","c":"model-00003-of-00003.safetensors"}}',
        ),
      ),
      memorySource('config.json', encode('{')),
      shard('other.safetensors', ['x']),
    ]);
    expect(checkpoint.files.map((f) => f.error?.code ?? 'ok')).toEqual([
      'MetadataIncompleteBuffer',
      'ReadFailed',
      'ok',
    ]);
    // Failed shards are present but say nothing more; only the absent third shard is reported.
    expect(checkpoint.indexErrors.map((e) => e.code)).toEqual(['IndexShardMissing']);
    expect(checkpoint.configErrors.map((e) => [e.code, e.file])).toEqual([
      ['ConfigInvalid', 'config.json'],
    ]);
    expect(checkpoint.config).toBeNull();
    expect(checkpoint.hfQuantConfig).toBeNull();
  });

  it('does not resolve shards from another folder', async () => {
    const checkpoint = await openCheckpoint([
      memorySource(
        'a/model.safetensors.index.json',
        encode('{"weight_map":{"x":"s.safetensors"}}'),
      ),
      shard('b/s.safetensors', ['x']),
    ]);
    expect(checkpoint.indexErrors.map((e) => e.code)).toEqual(['IndexShardMissing']);
  });

  it('reports an unreadable, unsafe or second index', async () => {
    const unsafe = await openCheckpoint([
      memorySource(
        'model.safetensors.index.json',
        encode('{"weight_map":{"x":"../s.safetensors"}}'),
      ),
      memorySource('other.safetensors.index.json', encode('{"weight_map":{}}')),
    ]);
    expect(unsafe.index).toBeNull();
    expect(unsafe.indexErrors.map((e) => [e.code, e.file])).toEqual([
      ['IndexInvalid', 'other.safetensors.index.json'],
      ['IndexUnsafeShardName', 'model.safetensors.index.json'],
    ]);
    const unreadable = await openCheckpoint([
      {
        name: 'model.safetensors.index.json',
        size: 10,
        read: () => Promise.reject(new Error('nope')),
      },
    ]);
    expect(unreadable.indexErrors.map((e) => e.code)).toEqual(['ReadFailed']);
  });

  it('uses the first config of each kind and lists the others as ignored', async () => {
    const checkpoint = await openCheckpoint([
      memorySource('a/config.json', encode('{"n":1}')),
      memorySource('b/config.json', encode('{"n":2}')),
    ]);
    expect(checkpoint.config).toEqual({ n: 1 });
    expect(checkpoint.ignored).toEqual(['b/config.json']);
  });

  it('refuses an oversized config without reading it', async () => {
    let reads = 0;
    const checkpoint = await openCheckpoint([
      {
        name: 'config.json',
        size: 1e12,
        read: () => {
          reads += 1;
          return Promise.resolve(new Uint8Array(0));
        },
      },
    ]);
    expect(reads).toBe(0);
    expect(checkpoint.configErrors.map((e) => e.code)).toEqual(['ConfigInvalid']);
  });
});
