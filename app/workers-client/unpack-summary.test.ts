import { describe, expect, it } from 'vitest';
import { buildSafetensors } from '../../core/format/build-safetensors';
import { memorySource } from '../../core/io/byte-source';
import { openCheckpoint } from '../../core/format/open-checkpoint';
import { summarizeCheckpoint } from '../../workers/checkpoint-summary';
import { packSummary } from '../../workers/packed-summary';
import { unpackSummary } from './unpack-summary';

async function summary() {
  const shard = (names: readonly string[]) =>
    buildSafetensors(
      names.map((name, i) => ({
        name,
        dtype: i % 2 === 0 ? 'F32' : 'U8',
        shape: i % 3 === 0 ? [0] : [1],
        data: new Uint8Array(i % 3 === 0 ? 0 : i % 2 === 0 ? 4 : 1),
      })),
      { format: 'pt' },
    );
  const names = Array.from({ length: 23 }, (_, i) => `model.layers.${i}.mlp.w${i % 3}.weight`);
  return summarizeCheckpoint(
    await openCheckpoint([
      memorySource('a.safetensors', shard(names)),
      memorySource('b.safetensors', shard(['lm_head.weight', 'x'])),
      memorySource('broken.safetensors', new Uint8Array([1, 2, 3])),
    ]),
  );
}

describe('unpackSummary', () => {
  it('gives the page what the summary itself would have cloned to, slice by slice', async () => {
    const original = await summary();
    expect(original.files[2].header).toBeNull();
    // Sent through a real structured clone, rebuilt 5 tensors per task.
    const back = await unpackSummary(structuredClone(packSummary(original)), 5);
    // byName is built on first use (lazy-by-name.ts): compared as the Map it stands for.
    const plain = {
      ...back,
      files: back.files.map((f) => ({
        ...f,
        header: f.header === null ? null : { ...f.header, byName: new Map(f.header.byName) },
      })),
    };
    expect(plain).toEqual(structuredClone(original));
    const header = back.files[0].header;
    expect(header?.tensors).toHaveLength(23);
    expect(header?.byName.size).toBe(23);
    expect(header?.byName.get('model.layers.7.mlp.w1.weight')).toBe(header?.tensors[7]);
    expect(header?.byName.has('x')).toBe(false);
  });
});
