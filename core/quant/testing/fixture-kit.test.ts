import { describe, expect, it } from 'vitest';
import { memorySource } from '../../io/byte-source';
import { openCheckpoint } from '../../format/open-checkpoint';
import { edits, replaceTensor, setBytes, singleFile, twoShards } from './fixture-kit';

const t = (name: string) => ({
  name,
  dtype: 'U8' as const,
  shape: [2],
  data: Uint8Array.from([1, 2]),
});
const expected = { scheme: 'none' as const, producer: null, source: null, findings: [] };

describe('fixture kit', () => {
  it('edits tensors before writing them', () => {
    const edit = edits(setBytes('a', [[1, 9]]), replaceTensor('b', null));
    expect(edit([t('a'), t('b')]).map((x) => [x.name, Array.from(x.data)])).toEqual([
      ['a', [1, 9]],
    ]);
  });

  it('writes one file plus configs, or two shards with a consistent index', async () => {
    const one = singleFile('x', { extra: [t('a')], config: { model_type: 'x' }, expected });
    expect(one.files.map((f) => f.name)).toEqual(['model.safetensors', 'config.json']);
    const two = twoShards('y', { extra: [t('a'), t('b')], expected }, (n) => n === 'b');
    const cp = await openCheckpoint(two.files.map((f) => memorySource(f.name, f.bytes)));
    expect(cp.indexErrors).toEqual([]);
    expect(cp.files.map((f) => f.header?.tensors.map((x) => x.name))).toEqual([['a'], ['b']]);
  });
});
