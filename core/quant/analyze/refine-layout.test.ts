import { describe, expect, it } from 'vitest';
import { f32Bytes, i32Bytes, i64Bytes } from '../testing/encode';
import { moduleFrom } from '../testing/open-fixture';
import { refineLayout } from './refine-layout';

describe('refineLayout', () => {
  it('reads compressed-tensors weight_shape for the exact in-features', async () => {
    const { module, sources } = moduleFrom(
      [
        {
          name: 'p.weight_packed',
          dtype: 'I32',
          shape: [8, 2],
          data: i32Bytes(new Array<number>(16).fill(0)),
        },
        {
          name: 'p.weight_scale',
          dtype: 'F32',
          shape: [8, 1],
          data: f32Bytes(new Array<number>(8).fill(1)),
        },
        { name: 'p.weight_shape', dtype: 'I64', shape: [2], data: i64Bytes([8, 10]) },
      ],
      'p',
    );
    expect(module.layout).toMatchObject({ inFeatures: 16 });
    expect((await refineLayout(sources, module)).layout).toMatchObject({
      inFeatures: 10,
      elementShape: [8, 10],
    });
  });

  it('reads the bitsandbytes quant state for the element count and block size', async () => {
    const state = new TextEncoder().encode(
      JSON.stringify({ quant_type: 'nf4', blocksize: 32, shape: [3, 20] }),
    );
    const { module, sources } = moduleFrom(
      [
        { name: 'n.weight', dtype: 'U8', shape: [30, 1], data: new Uint8Array(30) },
        { name: 'n.weight.absmax', dtype: 'F32', shape: [2], data: f32Bytes([1, 1]) },
        { name: 'n.weight.quant_map', dtype: 'F32', shape: [16], data: new Uint8Array(64) },
        {
          name: 'n.weight.quant_state.bitsandbytes__nf4',
          dtype: 'U8',
          shape: [state.length],
          data: state,
        },
      ],
      'n',
    );
    expect((await refineLayout(sources, module)).layout).toMatchObject({
      blockSize: 32,
      elementShape: [60],
    });
  });
});
