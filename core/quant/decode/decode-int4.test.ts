import { describe, expect, it } from 'vitest';
import { f16Bytes, i32Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { Collector } from '../testing/collector';
import { decodeWeights } from './decode-weights';

describe('decodeInt4', () => {
  it('flags q != z under a zero group scale (AutoAWQ), per scale element', async () => {
    const { module, sources } = moduleFrom(
      [
        {
          name: 'a.qweight',
          dtype: 'I32',
          shape: [2, 1],
          data: i32Bytes([0x11111111, 0x00000000]),
        },
        { name: 'a.qzeros', dtype: 'I32', shape: [1, 1], data: i32Bytes([0x11111111]) },
        { name: 'a.scales', dtype: 'F16', shape: [1, 8], data: f16Bytes([0, 1, 1, 1, 1, 1, 1, 1]) },
      ],
      'a',
    );
    const c = new Collector();
    await decodeWeights({ sources, module, options: {} }, c);
    // c = 0: q = 1 = z everywhere -> no zeroed code; c = 1: q = 0 != z = 1 at r = 0 (scale 0).
    expect(c.values.get(0)).toBe(0);
    expect(c.values.get(8 + 1)).toBe(-1);
    expect(c.zeroedScales).toEqual([0]);
  });

  it('reads the GPTQ group of each input row through g_idx (act-order)', async () => {
    const { module, sources } = moduleFrom(
      [
        {
          name: 'g.qweight',
          dtype: 'I32',
          shape: [1, 8],
          data: i32Bytes(new Array<number>(8).fill(0x99999999)),
        },
        { name: 'g.qzeros', dtype: 'I32', shape: [2, 1], data: i32Bytes([0x77777777, 0x77777777]) },
        {
          name: 'g.scales',
          dtype: 'F16',
          shape: [2, 8],
          data: f16Bytes([...new Array<number>(8).fill(1), ...new Array<number>(8).fill(3)]),
        },
        { name: 'g.g_idx', dtype: 'I32', shape: [8], data: i32Bytes([1, 0, 1, 0, 1, 0, 1, 0]) },
      ],
      'g',
    );
    const c = new Collector();
    await decodeWeights({ sources, module, options: {} }, c);
    // q = 9, z = 7 + 1: level 1; c even -> group 1 (s = 3), c odd -> group 0 (s = 1).
    expect([c.values.get(0), c.values.get(8), c.values.get(16)]).toEqual([3, 1, 3]);
  });
});
