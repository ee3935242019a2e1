import { describe, expect, it } from 'vitest';
import { f32Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { NF4_TABLE } from '../testing/quantize';
import { Collector } from '../testing/collector';
import { decodeWeights } from './decode-weights';

describe('decodeNf4', () => {
  it('uses one absmax per block of 64 and flags non-zero codes under a zero absmax', async () => {
    const bytes = new Uint8Array(64).fill(0xf7); // high nibble 15 (= 1), low 7 (= 0)
    const { module, sources } = moduleFrom(
      [
        { name: 'n.weight', dtype: 'U8', shape: [64, 1], data: bytes },
        { name: 'n.weight.absmax', dtype: 'F32', shape: [2], data: f32Bytes([0.5, 0]) },
        { name: 'n.weight.quant_map', dtype: 'F32', shape: [16], data: f32Bytes(NF4_TABLE) },
      ],
      'n',
    );
    const c = new Collector();
    await decodeWeights({ sources, module, options: { chunkBytes: 7 } }, c);
    expect([c.values.get(0), c.values.get(1), c.values.get(64)]).toEqual([0.5, 0, 0]);
    expect(c.zeroedScales.length).toBe(32);
    expect(new Set(c.zeroedScales)).toEqual(new Set([1]));
  });
});
