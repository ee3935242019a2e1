import type { TensorRef } from '../quant-types';
import { decodeByRole } from '../stream/decode-values';
import type { SourceMap } from '../stream/read-exact';
import { readTensorBytes, sourceFor } from '../stream/read-exact';

/**
 * Global and input scales are one value per tensor or per expert. Above this many elements a
 * "global" scale is not one, and its values are not kept (the module is not decoded).
 */
export const MAX_GLOBAL_SCALE_ELEMENTS = 65536;

/** The values of a small per-tensor / per-expert scale tensor, or null when it is absent or too large. */
export async function readGlobalValues(
  sources: SourceMap,
  ref: TensorRef | undefined,
): Promise<Float64Array | null> {
  if (ref === undefined || ref.info.elements > MAX_GLOBAL_SCALE_ELEMENTS) {
    return null;
  }
  const source = sourceFor(sources, ref.file, ref.info.name);
  const bytes = await readTensorBytes(source, ref.info, 0, ref.info.nbytes);
  return decodeByRole(bytes, ref.info.dtype, 'float', ref.info.elements);
}

/** The global value for leading-dim slice `slice`: one value for all, or one per slice. */
export function globalFor(values: ArrayLike<number>, slice: number): number {
  return values.length === 1 ? values[0] : values[slice];
}
