import { describe, expect, it } from 'vitest';
import { buildSafetensors } from './build-safetensors';
import { checkIndex, checkIndexTotalSize } from './check-index';
import { parseHeaderBytes } from './parse-header';
import type { ShardIndex } from './parse-index';
import { parseIndex } from './parse-index';
import type { SafetensorsHeader } from './tensor-info';

const INDEX = 'model.safetensors.index.json';

function header(
  name: string,
  tensors: ReadonlyArray<readonly [string, number]>,
): SafetensorsHeader {
  const bytes = buildSafetensors(
    tensors.map(([t, size]) => ({
      name: t,
      dtype: 'U8',
      shape: [size],
      data: new Uint8Array(size),
    })),
  );
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const result = parseHeaderBytes(name, bytes.length, bytes.slice(8, 8 + n));
  if (!result.ok) {
    throw result.error;
  }
  return result.value;
}

function index(weightMap: Record<string, string>, totalSize?: number): ShardIndex {
  const text = JSON.stringify({
    metadata: totalSize === undefined ? {} : { total_size: totalSize },
    weight_map: weightMap,
  });
  const result = parseIndex(INDEX, new TextEncoder().encode(text));
  if (!result.ok) {
    throw result.error;
  }
  return result.value;
}

const codes = (errors: readonly { code: string; tensor: string | null }[]): string[] =>
  errors.map((e) => `${e.code}${e.tensor === null ? '' : `:${e.tensor}`}`);

describe('checkIndex', () => {
  const S1 = 'model-00001-of-00002.safetensors';
  const S2 = 'model-00002-of-00002.safetensors';

  it('finds nothing wrong with a consistent index', () => {
    const idx = index({ a: S1, b: S1, c: S2 }, 6);
    const shards = new Map([
      [
        S1,
        header(S1, [
          ['a', 1],
          ['b', 2],
        ]),
      ],
      [S2, header(S2, [['c', 3]])],
    ]);
    expect(checkIndex(idx, shards)).toEqual([]);
    expect(checkIndexTotalSize(idx, shards)).toEqual([]);
  });

  it('reports a shard that is not among the files, once', () => {
    const idx = index({ a: S1, b: S2, c: S2 });
    const errors = checkIndex(idx, new Map([[S1, header(S1, [['a', 1]])]]));
    expect(codes(errors)).toEqual(['IndexShardMissing']);
    expect(errors[0].message).toBe(
      `${INDEX}: shard "${S2}" (2 tensors listed) is not among the files [IndexShardMissing]`,
    );
  });

  it('reports a listed tensor absent from its shard, saying where it is', () => {
    const idx = index({ a: S1, b: S1, c: S2 });
    const errors = checkIndex(
      idx,
      new Map([
        [S1, header(S1, [['a', 1]])],
        [
          S2,
          header(S2, [
            ['b', 1],
            ['c', 1],
          ]),
        ],
      ]),
    );
    expect(codes(errors)).toEqual(['IndexTensorMissing:b']);
    expect(errors[0].detail).toBe(
      `listed in shard "${S1}" but that shard has no such tensor (it is in "${S2}")`,
    );
  });

  it('reports a shard tensor that weight_map does not list', () => {
    const idx = index({ a: S1 });
    const errors = checkIndex(
      idx,
      new Map([
        [
          S1,
          header(S1, [
            ['a', 1],
            ['extra', 1],
          ]),
        ],
      ]),
    );
    expect(codes(errors)).toEqual(['IndexTensorUnlisted:extra']);
  });

  it('reports a tensor present in two shards', () => {
    const idx = index({ a: S1, b: S2 });
    const errors = checkIndex(
      idx,
      new Map([
        [
          S1,
          header(S1, [
            ['a', 1],
            ['b', 1],
          ]),
        ],
        [S2, header(S2, [['b', 1]])],
      ]),
    );
    expect(codes(errors)).toEqual(['IndexTensorInTwoShards:b']);
  });

  it('says nothing more about a shard that failed to parse', () => {
    const idx = index({ a: S1, b: S2 }, 10);
    const shards = new Map<string, SafetensorsHeader | null>([
      [S1, null],
      [S2, header(S2, [['b', 1]])],
    ]);
    expect(checkIndex(idx, shards)).toEqual([]);
    expect(checkIndexTotalSize(idx, shards)).toEqual([]);
  });

  it('treats __proto__, constructor and "" as ordinary tensors', () => {
    // Written by hand: JSON.stringify of an object literal would drop a "__proto__" key.
    const text = `{"weight_map":{"__proto__":"${S1}","constructor":"${S1}","":"${S2}"}}`;
    const parsed = parseIndex(INDEX, new TextEncoder().encode(text));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) {
      return;
    }
    const good = new Map([
      [
        S1,
        header(S1, [
          ['__proto__', 1],
          ['constructor', 1],
        ]),
      ],
      [S2, header(S2, [['', 1]])],
    ]);
    expect(checkIndex(parsed.value, good)).toEqual([]);
    const swapped = new Map([
      [
        S1,
        header(S1, [
          ['constructor', 1],
          ['', 1],
        ]),
      ],
      [S2, header(S2, [['__proto__', 1]])],
    ]);
    expect(codes(checkIndex(parsed.value, swapped))).toEqual([
      'IndexTensorMissing:__proto__',
      'IndexTensorMissing:',
    ]);
    const unlisted = new Map([
      [
        S1,
        header(S1, [
          ['__proto__', 1],
          ['constructor', 1],
          ['toString', 1],
        ]),
      ],
      [
        S2,
        header(S2, [
          ['', 1],
          ['__proto__', 1],
        ]),
      ],
    ]);
    expect(codes(checkIndex(parsed.value, unlisted))).toEqual([
      'IndexTensorInTwoShards:__proto__',
      'IndexTensorUnlisted:toString',
    ]);
  });
});

describe('checkIndexTotalSize', () => {
  const S1 = 'a.safetensors';

  it('warns when total_size differs from the tensor bytes', () => {
    const idx = index({ a: S1 }, 5);
    expect(checkIndexTotalSize(idx, new Map([[S1, header(S1, [['a', 3]])]]))).toEqual([
      `${INDEX}: metadata.total_size says 5 bytes but the shards hold 3 bytes of tensor data`,
    ]);
  });

  it('says nothing when a shard is missing', () => {
    expect(checkIndexTotalSize(index({ a: S1 }, 5), new Map())).toEqual([]);
  });

  it('passes on an unusable total_size as a warning', () => {
    const parsed = parseIndex(
      INDEX,
      new TextEncoder().encode('{"metadata":{"total_size":"x"},"weight_map":{}}'),
    );
    expect(parsed.ok && checkIndexTotalSize(parsed.value, new Map())).toEqual([
      `${INDEX}: metadata.total_size is a string, not a number; it is ignored`,
    ]);
  });
});
