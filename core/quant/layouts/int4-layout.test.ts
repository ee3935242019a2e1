import { describe, expect, it } from 'vitest';
import { expectedZeroShape, int4Layout } from './int4-layout';
import { info } from '../testing/tensor-info';

const opts = { groupSize: null, gptqZeroOffset: 1, inFeatures: null };

describe('int4Layout', () => {
  it('reads AutoAWQ GEMM: qweight [C, R/8], scales [C/g, R]', () => {
    const r = int4Layout(
      'awq-gemm',
      {
        weight: info('q', 'I32', [64, 4]),
        scale: info('s', 'F16', [2, 32]),
        zeroPoint: info('z', 'I32', [2, 4]),
        groupIndex: null,
      },
      opts,
    );
    expect(r).toMatchObject({
      value: {
        outFeatures: 32,
        inFeatures: 64,
        groupSize: 32,
        elementShape: [64, 32],
        zeroPoints: true,
        zeroOffset: 0,
      },
    });
    expect(r.ok ? expectedZeroShape(r.value) : null).toEqual([2, 4]);
  });

  it('reads GPTQ: qweight [C/8, R], g_idx [C], v1 zero offset', () => {
    const r = int4Layout(
      'gptq',
      {
        weight: info('q', 'I32', [8, 32]),
        scale: info('s', 'F16', [2, 32]),
        zeroPoint: null,
        groupIndex: info('g', 'I32', [64]),
      },
      opts,
    );
    expect(r).toMatchObject({
      value: {
        inFeatures: 64,
        outFeatures: 32,
        groupSize: 32,
        zeroOffset: 1,
        groupIndex: true,
        elementShape: [64, 32],
      },
    });
  });

  it('reads compressed-tensors pack-quantized with the in-features from weight_shape', () => {
    const r = int4Layout(
      'ct-pack',
      {
        weight: info('q', 'I32', [16, 8]),
        scale: info('s', 'BF16', [16, 2]),
        zeroPoint: info('z', 'I32', [2, 2]),
        groupIndex: null,
      },
      { ...opts, groupSize: 32, inFeatures: 60 },
    );
    expect(r).toMatchObject({
      value: { inFeatures: 60, outFeatures: 16, groupSize: 32, elementShape: [16, 60] },
    });
    expect(r.ok ? expectedZeroShape(r.value) : null).toEqual([2, 2]);
  });

  it('reads ModelOpt W4A16_AWQ: weight U8 [R/2, C]', () => {
    const r = int4Layout(
      'modelopt-awq',
      {
        weight: info('w', 'U8', [16, 64]),
        scale: info('s', 'F16', [32, 2]),
        zeroPoint: null,
        groupIndex: null,
      },
      opts,
    );
    expect(r).toMatchObject({ value: { outFeatures: 32, inFeatures: 64, groupSize: 32 } });
    expect(r.ok ? expectedZeroShape(r.value) : 'x').toBeNull();
  });

  it('says what the scale shape should be', () => {
    const r = int4Layout(
      'awq-gemm',
      {
        weight: info('q', 'I32', [64, 4]),
        scale: info('s', 'F16', [2, 16]),
        zeroPoint: null,
        groupIndex: null,
      },
      opts,
    );
    expect(r).toEqual({ ok: false, error: '[2, 32] with one group per g inputs' });
    expect(
      int4Layout(
        'gptq',
        {
          weight: info('q', 'I32', [8]),
          scale: info('s', 'F16', [2, 32]),
          zeroPoint: null,
          groupIndex: null,
        },
        opts,
      ).ok,
    ).toBe(false);
  });
});
