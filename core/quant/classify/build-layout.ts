import { assertUnreachable } from '../../dtype/dtype';
import { fp4Layout, gptOssLayout } from '../layouts/fp4-layout';
import { fp8Layout } from '../layouts/fp8-layout';
import { expectedZeroShape, int4Layout } from '../layouts/int4-layout';
import { nf4Layout } from '../layouts/nf4-layout';
import type { QuantLayout, ScaleEncoding } from '../quant-layout';
import type { ModuleTensors, ShapeProblem } from '../quant-types';
import { sameShape, shapeText } from '../shape-util';
import type { Recipe } from './candidate';

/** What a config adds to the shapes: group and block sizes, the GPTQ zero-point convention. */
export interface LayoutHints {
  readonly groupSize: number | null;
  readonly block: readonly [number, number] | null;
  readonly gptqZeroOffset: number;
  /** compressed-tensors in-features from `weight_shape`, once read. */
  readonly inFeatures: number | null;
  /** bitsandbytes element count and block size from the quant state, once read. */
  readonly bnb: { readonly elements: number; readonly blockSize: number } | null;
}

export const NO_HINTS: LayoutHints = {
  groupSize: null,
  block: null,
  gptqZeroOffset: 1,
  inFeatures: null,
  bnb: null,
};

export interface BuiltLayout {
  readonly layout: QuantLayout | null;
  readonly shapeProblem: ShapeProblem | null;
}

const NONE: BuiltLayout = { layout: null, shapeProblem: null };

/**
 * The decodable layout of a module from its tensors' shapes, or the shape problem that prevents
 * one. A module missing its weight or scale has neither (the missing tensor is reported instead).
 */
export function buildLayout(
  recipe: Recipe,
  roles: ModuleTensors,
  scaleEncoding: ScaleEncoding,
  hints: LayoutHints,
): BuiltLayout {
  const weight = roles.weight;
  const scale = roles.scale;
  if (weight === undefined || scale === undefined) {
    return NONE;
  }
  const fail = (expected: string, tensor = scale): BuiltLayout => ({
    layout: null,
    shapeProblem: { tensor, expected },
  });
  switch (recipe.decoder) {
    case 'gpt-oss': {
      const r = gptOssLayout(weight.info, scale.info);
      return r.ok ? { layout: r.value, shapeProblem: null } : fail(r.error);
    }
    case 'fp4': {
      const r = fp4Layout(weight.info, scale.info, recipe.options);
      return r.ok ? { layout: r.value, shapeProblem: null } : fail(r.error);
    }
    case 'fp8': {
      const r = fp8Layout(weight.info, scale.info, scaleEncoding, hints.block);
      return r.ok ? { layout: r.value.layout, shapeProblem: null } : fail(r.error);
    }
    case 'int4': {
      const zero = roles.zeroPoint;
      const r = int4Layout(
        recipe.packing,
        {
          weight: weight.info,
          scale: scale.info,
          zeroPoint: zero?.info ?? null,
          groupIndex: roles.groupIndex?.info ?? null,
        },
        hints,
      );
      if (!r.ok) {
        return fail(r.error);
      }
      const zeroShape = expectedZeroShape(r.value);
      if (zero !== undefined && zeroShape !== null && !sameShape(zero.info.shape, zeroShape)) {
        return fail(shapeText(zeroShape), zero);
      }
      return { layout: r.value, shapeProblem: null };
    }
    case 'nf4': {
      const r = nf4Layout(weight.info, scale.info, hints.bnb);
      return r.ok ? { layout: r.value, shapeProblem: null } : fail(r.error);
    }
    case 'none':
      return NONE;
    default:
      return assertUnreachable(recipe);
  }
}
