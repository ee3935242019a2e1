import { describe, expect, it } from 'vitest';
import { info } from '../testing/tensor-info';
import { buildLayout, NO_HINTS } from './build-layout';

const ref = (name: string, dtype: Parameters<typeof info>[1], shape: number[]) => ({
  file: 'f',
  info: info(name, dtype, shape),
});

describe('buildLayout', () => {
  it('builds nothing without a weight and a scale', () => {
    expect(
      buildLayout({ decoder: 'fp8' }, { weight: ref('w', 'F8_E4M3', [2, 2]) }, 'float', NO_HINTS),
    ).toEqual({ layout: null, shapeProblem: null });
    expect(
      buildLayout(
        { decoder: 'none' },
        { weight: ref('w', 'F32', [2]), scale: ref('s', 'F32', []) },
        'float',
        NO_HINTS,
      ),
    ).toEqual({ layout: null, shapeProblem: null });
  });

  it('uses config hints (block size) and reports shape problems on the right tensor', () => {
    const weight = ref('w', 'F8_E4M3', [300, 300]);
    const block = buildLayout(
      { decoder: 'fp8' },
      { weight, scale: ref('s', 'F32', [3, 3]) },
      'float',
      { ...NO_HINTS, block: [100, 100] },
    );
    expect(block.layout).toMatchObject({ blockRows: 100, blockCols: 100 });
    const zero = buildLayout(
      { decoder: 'int4', packing: 'awq-gemm' },
      {
        weight: ref('q', 'I32', [64, 4]),
        scale: ref('s', 'F16', [2, 32]),
        zeroPoint: ref('z', 'I32', [2, 2]),
      },
      'float',
      NO_HINTS,
    );
    expect(zero).toMatchObject({
      layout: null,
      shapeProblem: { tensor: { info: { name: 'z' } }, expected: '[2, 4]' },
    });
  });

  it('builds gpt-oss and NF4 layouts', () => {
    expect(
      buildLayout(
        { decoder: 'gpt-oss' },
        { weight: ref('b', 'U8', [1, 16]), scale: ref('s', 'U8', [1]) },
        'e8m0',
        NO_HINTS,
      ).layout,
    ).toMatchObject({ kind: 'fp4' });
    expect(
      buildLayout(
        { decoder: 'nf4' },
        { weight: ref('w', 'U8', [32, 1]), scale: ref('a', 'F32', [1]) },
        'float',
        NO_HINTS,
      ).layout,
    ).toMatchObject({ kind: 'nf4', blockSize: 64 });
  });
});
