import { describe, expect, it } from 'vitest';
import { fp8Layout, inferBlock } from './fp8-layout';
import { info } from '../testing/tensor-info';

const w = info('w', 'F8_E4M3', [200, 300]);

describe('fp8Layout', () => {
  it('tells tensor, channel and block scales apart by shape', () => {
    expect(fp8Layout(w, info('s', 'F32', []), 'float', null)).toMatchObject({
      value: { scheme: 'fp8-tensor', layout: { blockRows: 200, blockCols: 300 } },
    });
    expect(fp8Layout(w, info('s', 'BF16', [1]), 'float', null)).toMatchObject({
      value: { scheme: 'fp8-tensor' },
    });
    expect(fp8Layout(w, info('s', 'F32', [200]), 'float', null)).toMatchObject({
      value: { scheme: 'fp8-channel', layout: { blockRows: 1 } },
    });
    expect(fp8Layout(w, info('s', 'BF16', [200, 1]), 'float', null)).toMatchObject({
      value: { scheme: 'fp8-channel' },
    });
    expect(fp8Layout(w, info('s', 'F32', [2, 3]), 'float', null)).toMatchObject({
      value: {
        scheme: 'fp8-block',
        layout: { blockRows: 128, blockCols: 128, scaleShape: [2, 3] },
      },
    });
  });

  it('reads MXFP8 E8M0 groups of 32 and per-expert tensor scales', () => {
    expect(
      fp8Layout(info('w', 'F8_E4M3', [4, 64]), info('s', 'U8', [4, 2]), 'e8m0', [1, 32]),
    ).toMatchObject({ value: { scheme: 'mxfp8', layout: { blockCols: 32 } } });
    expect(
      fp8Layout(info('w', 'F8_E4M3', [3, 4, 8]), info('s', 'F32', [3]), 'float', null),
    ).toMatchObject({ value: { scheme: 'fp8-tensor', layout: { scaleShape: [3, 1, 1] } } });
  });

  it('refuses non-FP8 weights and shapes that fit nothing', () => {
    expect(fp8Layout(info('w', 'BF16', [2, 2]), info('s', 'F32', []), 'float', null).ok).toBe(
      false,
    );
    expect(fp8Layout(w, info('s', 'F32', [7]), 'float', null).ok).toBe(false);
  });
});

describe('inferBlock', () => {
  it('prefers the named size, then 128 / 32 / common sizes, then an even split', () => {
    expect(inferBlock(300, 3, null)).toBe(128);
    expect(inferBlock(300, 3, 100)).toBe(100);
    expect(inferBlock(64, 2, null)).toBe(32);
    expect(inferBlock(10, 10, null)).toBe(1);
    expect(inferBlock(10, 1, null)).toBe(10);
    expect(inferBlock(12, 4, null)).toBe(3);
    expect(inferBlock(10, 7, null)).toBeNull();
  });
});
