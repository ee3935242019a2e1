import { decodeToFloat64 } from '../../dtype/decode-value';
import { int4Layout } from '../layouts/int4-layout';
import { nf4Layout } from '../layouts/nf4-layout';
import type { QuantModule, TensorRef } from '../quant-types';
import { product } from '../shape-util';
import type { SourceMap } from '../stream/read-exact';
import { readTensorBytes, sourceFor } from '../stream/read-exact';

/** A bitsandbytes quant state is a short JSON object; anything larger is not one. */
export const MAX_QUANT_STATE_BYTES = 64 * 1024;

async function readAll(sources: SourceMap, ref: TensorRef): Promise<Uint8Array> {
  return readTensorBytes(sourceFor(sources, ref.file, ref.info.name), ref.info, 0, ref.info.nbytes);
}

function quantState(bytes: Uint8Array): { elements: number; blockSize: number } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return null;
  }
  const blockSize: unknown = Reflect.get(parsed, 'blocksize');
  const shape: unknown = Reflect.get(parsed, 'shape');
  if (
    typeof blockSize !== 'number' ||
    !Array.isArray(shape) ||
    !shape.every((d): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  ) {
    return null;
  }
  return { elements: product(shape), blockSize };
}

/**
 * What the headers cannot tell, read from tiny tensors: compressed-tensors `weight_shape` (the exact
 * in-features when they are not a multiple of 8) and the bitsandbytes quant state (element count
 * and block size). Returns the module with its layout refined, or unchanged.
 */
export async function refineLayout(sources: SourceMap, module: QuantModule): Promise<QuantModule> {
  const layout = module.layout;
  const t = module.tensors;
  if (
    layout?.kind === 'int4' &&
    layout.packing === 'ct-pack' &&
    t.weightShape !== undefined &&
    t.weight !== undefined &&
    t.scale !== undefined
  ) {
    const ref = t.weightShape;
    const dims = decodeToFloat64(ref.info.dtype, await readAll(sources, ref), ref.info.elements);
    const inFeatures = dims[dims.length - 1];
    if (dims.length !== 2 || inFeatures === layout.inFeatures) {
      return module;
    }
    const r = int4Layout(
      'ct-pack',
      {
        weight: t.weight.info,
        scale: t.scale.info,
        zeroPoint: t.zeroPoint?.info ?? null,
        groupIndex: t.groupIndex?.info ?? null,
      },
      { groupSize: layout.groupSize, gptqZeroOffset: 0, inFeatures },
    );
    return r.ok
      ? { ...module, layout: r.value }
      : { ...module, layout: null, shapeProblem: { tensor: t.scale, expected: r.error } };
  }
  if (
    layout?.kind === 'nf4' &&
    t.quantState !== undefined &&
    t.weight !== undefined &&
    t.scale !== undefined &&
    t.quantState.info.nbytes <= MAX_QUANT_STATE_BYTES
  ) {
    const known = quantState(await readAll(sources, t.quantState));
    if (known === null) {
      return module;
    }
    const r = nf4Layout(t.weight.info, t.scale.info, known);
    return r.ok
      ? { ...module, layout: r.value }
      : { ...module, layout: null, shapeProblem: { tensor: t.scale, expected: r.error } };
  }
  return module;
}
