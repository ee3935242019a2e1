import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../dtype/dtype';
import type { ScaleEncoding } from '../quant-layout';
import { info } from '../testing/tensor-info';
import { buildLayout, NO_HINTS } from './build-layout';
import type { Recipe } from './candidate';
import { COMFY_NVFP4, MXFP4_ROW_MAJOR } from './classify-families';
import { LayoutMemo } from './layout-memo';

const RECIPES: readonly Recipe[] = [
  { decoder: 'fp4', options: MXFP4_ROW_MAJOR },
  { decoder: 'fp4', options: COMFY_NVFP4 },
  { decoder: 'fp8' },
  { decoder: 'gpt-oss' },
  { decoder: 'none' },
];

describe('LayoutMemo', () => {
  it('builds what buildLayout builds, for any sequence of modules', () => {
    // Few dims and a few shapes, so that modules often repeat one another's inputs.
    const shape = fc.constantFrom<number[]>(
      [2, 16],
      [2, 1],
      [128, 4],
      [2],
      [],
      [4, 2, 16],
      [4, 1, 16],
      [4, 2, 1],
    );
    const module = fc.record({
      recipe: fc.constantFrom(...RECIPES),
      weightDtype: fc.constantFrom<Dtype>('U8', 'F4', 'F8_E4M3', 'F8_E5M2'),
      scaleDtype: fc.constantFrom<Dtype>('U8', 'F8_E4M3', 'F32'),
      weightShape: shape,
      scaleShape: shape,
      scaleEncoding: fc.constantFrom<ScaleEncoding>('e4m3', 'e8m0', 'float'),
      hasScale: fc.boolean(),
    });
    // Each module of the sequence is one base or the base with one input changed: a memo that
    // overlooked that input would hand out the base's layout for it.
    const change = fc.oneof(
      fc.record({ recipe: fc.constantFrom(...RECIPES) }),
      fc.record({ weightDtype: fc.constantFrom<Dtype>('U8', 'F4', 'F8_E4M3') }),
      fc.record({ scaleDtype: fc.constantFrom<Dtype>('U8', 'F8_E4M3', 'F32') }),
      fc.record({ weightShape: shape }),
      fc.record({ scaleShape: shape }),
      fc.record({ scaleEncoding: fc.constantFrom<ScaleEncoding>('e4m3', 'e8m0', 'float') }),
      fc.record({ hasScale: fc.boolean() }),
    );
    fc.assert(
      fc.property(
        module,
        fc.array(fc.option(change, { nil: null }), { minLength: 1, maxLength: 12 }),
        (base, changes) => {
          const memo = new LayoutMemo(NO_HINTS);
          for (const c of changes) {
            const m = { ...base, ...c };
            const roles = {
              weight: { file: 'f', info: info('p.weight', m.weightDtype, m.weightShape) },
              scale: m.hasScale
                ? { file: 'f', info: info('p.weight_scale', m.scaleDtype, m.scaleShape) }
                : undefined,
            };
            expect(memo.build(m.recipe, roles, m.scaleEncoding)).toEqual(
              buildLayout(m.recipe, roles, m.scaleEncoding, NO_HINTS),
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hands the same layout to modules of one shape', () => {
    const memo = new LayoutMemo(NO_HINTS);
    const roles = (n: number) => ({
      weight: { file: 'f', info: info(`e.${n}.weight`, 'U8', [2, 16]) },
      scale: { file: 'f', info: info(`e.${n}.weight_scale`, 'U8', [2, 1]) },
    });
    const recipe: Recipe = { decoder: 'fp4', options: MXFP4_ROW_MAJOR };
    const a = memo.build(recipe, roles(0), 'e8m0');
    const b = memo.build(recipe, roles(1), 'e8m0');
    expect(a.layout).not.toBeNull();
    expect(b.layout).toBe(a.layout);
  });
});
