import type { TensorInfo } from '../../format/tensor-info';
import type { ScaleEncoding } from '../quant-layout';
import type { ModuleTensors } from '../quant-types';
import { sameShape } from '../shape-util';
import { buildLayout } from './build-layout';
import type { BuiltLayout, LayoutHints } from './build-layout';
import type { Recipe } from './candidate';

/** What an FP4 or FP8 layout is computed from (besides the hints, fixed for one recognition). */
interface LayoutInputs {
  readonly recipe: Recipe;
  readonly weight: TensorInfo;
  readonly scale: TensorInfo;
  readonly scaleEncoding: ScaleEncoding;
}

/**
 * `buildLayout` that hands out the previous module's layout again when its inputs repeat: a layer
 * of experts is 100,000 modules of one shape, and each built the same layout (five arrays, the
 * layout and its result) anew, all kept to the end of the scan. Layouts are read-only data, so
 * modules may share one. Only FP4 and FP8 recipes that gave a layout are remembered: those depend
 * on nothing but the recipe's options, the weight's and scale's dtypes and shapes, the scale
 * encoding and the hints (one set per memo). A shape problem names its module's tensor, so it is
 * never reused.
 */
export class LayoutMemo {
  private last: { readonly inputs: LayoutInputs; readonly built: BuiltLayout } | null = null;

  constructor(private readonly hints: LayoutHints) {}

  build(recipe: Recipe, roles: ModuleTensors, scaleEncoding: ScaleEncoding): BuiltLayout {
    const weight = roles.weight?.info;
    const scale = roles.scale?.info;
    const memoable =
      (recipe.decoder === 'fp4' || recipe.decoder === 'fp8') &&
      weight !== undefined &&
      scale !== undefined;
    if (!memoable) {
      return buildLayout(recipe, roles, scaleEncoding, this.hints);
    }
    const inputs: LayoutInputs = { recipe, weight, scale, scaleEncoding };
    if (this.last !== null && sameInputs(this.last.inputs, inputs)) {
      return this.last.built;
    }
    const built = buildLayout(recipe, roles, scaleEncoding, this.hints);
    this.last = built.layout === null ? null : { inputs, built };
    return built;
  }
}

function sameRecipe(a: Recipe, b: Recipe): boolean {
  if (a.decoder === 'fp4' && b.decoder === 'fp4') {
    return a.options === b.options;
  }
  return a.decoder === b.decoder;
}

function sameInputs(a: LayoutInputs, b: LayoutInputs): boolean {
  return (
    sameRecipe(a.recipe, b.recipe) &&
    a.scaleEncoding === b.scaleEncoding &&
    a.weight.dtype === b.weight.dtype &&
    a.scale.dtype === b.scale.dtype &&
    sameShape(a.weight.shape, b.weight.shape) &&
    sameShape(a.scale.shape, b.scale.shape)
  );
}
