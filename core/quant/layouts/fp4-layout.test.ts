import { describe, expect, it } from 'vitest';
import { fp4Layout, gptOssLayout } from './fp4-layout';
import type { Fp4Options } from './fp4-layout';
import { info } from '../testing/tensor-info';

const NV: Fp4Options = {
  nibbleOrder: 'low-first',
  blockSize: 16,
  scaleEncoding: 'e4m3',
  scaleLayout: 'row-major',
  globalScale: 'multiply',
};

describe('fp4Layout', () => {
  it('fits ModelOpt NVFP4 [R, C/2] with [R, C/16], and fused experts [E, R, C/2]', () => {
    expect(fp4Layout(info('w', 'U8', [32, 32]), info('s', 'F8_E4M3', [32, 4]), NV)).toMatchObject({
      ok: true,
      value: { packedAxis: 'last', elementShape: [32, 64], scaleShape: [32, 4] },
    });
    expect(
      fp4Layout(info('w', 'U8', [3, 32, 32]), info('s', 'F8_E4M3', [3, 32, 4]), NV),
    ).toMatchObject({
      value: { elementShape: [3, 32, 64] },
    });
  });

  it('fits the BMM-style experts layout [E, in/2, out] with [E, in/16, out]', () => {
    expect(
      fp4Layout(info('w', 'U8', [2, 32, 48]), info('s', 'F8_E4M3', [2, 4, 48]), NV),
    ).toMatchObject({
      value: { packedAxis: 'second-last', elementShape: [2, 64, 48], scaleShape: [2, 4, 48] },
    });
  });

  it('counts F4 dtype elements one per element, not two per byte', () => {
    expect(fp4Layout(info('w', 'F4', [4, 32]), info('s', 'F8_E4M3', [4, 2]), NV)).toMatchObject({
      value: { elementShape: [4, 32] },
    });
  });

  it('expects the padded swizzled shape for the cuBLAS layout', () => {
    const comfy = { ...NV, nibbleOrder: 'high-first', scaleLayout: 'cublas-128x4' } as const;
    expect(fp4Layout(info('w', 'U8', [16, 256]), info('s', 'U8', [128, 32]), comfy)).toMatchObject({
      value: { scaleShape: [16, 32] },
    });
    expect(fp4Layout(info('w', 'U8', [16, 256]), info('s', 'U8', [16, 32]), comfy)).toEqual({
      ok: false,
      error: '[128, 32]',
    });
  });

  it('says which shape was expected', () => {
    expect(fp4Layout(info('w', 'U8', [32, 32]), info('s', 'F8_E4M3', [32, 2]), NV)).toEqual({
      ok: false,
      error: '[32, 4]',
    });
    expect(fp4Layout(info('w', 'U8', [4, 4]), info('s', 'F8_E4M3', [4, 1]), NV).ok).toBe(false);
  });
});

describe('gptOssLayout', () => {
  it('needs blocks [..., G, 16] and scales equal to blocks.shape[:-1]', () => {
    expect(
      gptOssLayout(info('b', 'U8', [2, 64, 3, 16]), info('s', 'U8', [2, 64, 3])),
    ).toMatchObject({
      value: {
        elementShape: [2, 64, 96],
        scaleShape: [2, 64, 3],
        blockSize: 32,
        scaleEncoding: 'e8m0',
      },
    });
    expect(gptOssLayout(info('b', 'U8', [10, 16]), info('s', 'U8', [10]))).toMatchObject({
      value: { elementShape: [320] },
    });
    expect(gptOssLayout(info('b', 'U8', [10, 16]), info('s', 'U8', [5]))).toEqual({
      ok: false,
      error: '[10]',
    });
    expect(gptOssLayout(info('b', 'U8', [10, 8]), info('s', 'U8', [10])).ok).toBe(false);
  });
});
