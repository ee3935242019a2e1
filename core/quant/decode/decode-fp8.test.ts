import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { Collector } from '../testing/collector';
import { decodeWeights } from './decode-weights';

describe('decodeFp8', () => {
  it('multiplies by the block scale and flags non-zero values under a zero one', async () => {
    const { module, sources } = moduleFrom(
      [
        {
          name: 'f.weight',
          dtype: 'F8_E4M3',
          shape: [2, 3],
          data: Uint8Array.from([0x38, 0x80, 0x7f, 0x40, 0x00, 0x38]),
        },
        { name: 'f.weight_scale', dtype: 'F32', shape: [2], data: f32Bytes([0.5, 0]) },
      ],
      'f',
    );
    const c = new Collector();
    await decodeWeights({ sources, module, options: { chunkBytes: 1 } }, c);
    expect([c.values.get(0), c.values.get(1), c.values.get(3)]).toEqual([0.5, -0, 0]);
    expect(c.values.get(2)).toBeNaN();
    expect(c.zeroedScales).toEqual([1, 1]);
  });
});
