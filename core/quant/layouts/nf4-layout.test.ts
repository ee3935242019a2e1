import { describe, expect, it } from 'vitest';
import { nf4Layout } from './nf4-layout';
import { info } from '../testing/tensor-info';

describe('nf4Layout', () => {
  it('derives the block size from the absmax count (64 first) or takes the quant state', () => {
    expect(nf4Layout(info('w', 'U8', [512, 1]), info('a', 'F32', [16]), null)).toMatchObject({
      value: { blockSize: 64, elementShape: [1024], doubleQuant: false },
    });
    expect(nf4Layout(info('w', 'U8', [512, 1]), info('a', 'F32', [8]), null)).toMatchObject({
      value: { blockSize: 128 },
    });
    expect(nf4Layout(info('w', 'U8', [512, 1]), info('a', 'U8', [16]), null)).toMatchObject({
      value: { doubleQuant: true },
    });
    expect(
      nf4Layout(info('w', 'U8', [512, 1]), info('a', 'F32', [32]), {
        elements: 1023,
        blockSize: 32,
      }),
    ).toMatchObject({ value: { elementShape: [1023] } });
  });

  it('refuses an absmax count no block size explains', () => {
    expect(nf4Layout(info('w', 'U8', [512, 1]), info('a', 'F32', [3]), null).ok).toBe(false);
    expect(nf4Layout(info('w', 'I8', [512, 1]), info('a', 'F32', [16]), null).ok).toBe(false);
  });
});
