import { describe, expect, it } from 'vitest';
import { moduleFrom } from '../testing/open-fixture';
import { randomMatrix } from '../testing/modules-float';
import { autoAwq, gptq } from '../testing/modules-int';
import { zeroPointNibbles } from './zero-point-nibbles';
import { hasMantissa } from './scale-accumulator';

describe('zeroPointNibbles', () => {
  it('counts every stored qzeros nibble of a GPTQ module, whatever the chunk size', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const built = gptq(p, randomMatrix(32, 64, 1400), 16, false);
    const qzeros = built.tensors.find((t) => t.name === `${p}.qzeros`);
    const expected = new Array<number>(16).fill(0);
    for (const b of qzeros?.data ?? []) {
      expected[b & 15]++;
      expected[b >> 4]++;
    }
    const { module, sources } = moduleFrom(built.tensors, p);
    for (const chunkBytes of [1, 7, 16, 4096]) {
      expect(await zeroPointNibbles(sources, module, { chunkBytes })).toEqual(expected);
    }
  });

  it('is null for other packings (AutoAWQ qzeros are not GPTQ zero points)', async () => {
    const p = 'model.layers.0.mlp.down_proj';
    const { module, sources } = moduleFrom(autoAwq(p, randomMatrix(32, 64, 1401), 32).tensors, p);
    expect(await zeroPointNibbles(sources, module, {})).toBeNull();
  });
});

describe('hasMantissa', () => {
  it('is false for powers of two only', () => {
    expect([1, 0.5, 2 ** -127, 2 ** 127, -4].map(hasMantissa)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([3, 0.1, 448, -1.5, 2 ** -20 * 1.25].map(hasMantissa)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
