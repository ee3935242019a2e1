import type { QuantModule } from '../quant-types';
import { forEachRowChunk } from '../stream/row-chunks';
import type { SourceMap, StreamOptions } from '../stream/read-exact';
import { sourceFor } from '../stream/read-exact';

/** Bytes of one packed GPTQ `qzeros` word (I32: eight 4-bit zero points). */
const QZEROS_WORD_BYTES = 4;

/**
 * The histogram of the 4-bit zero points stored in a GPTQ module's `qzeros` (16 bins, the nibbles
 * as stored), streamed row by row; null for modules of other packings or without zero points.
 * Symmetric GPTQ stores one value in every nibble: 7 in the v1 format (z - 1), 8 in v2.
 */
export async function zeroPointNibbles(
  sources: SourceMap,
  module: QuantModule,
  options: StreamOptions,
): Promise<number[] | null> {
  const ref = module.tensors.zeroPoint;
  const layout = module.layout;
  if (
    ref === undefined ||
    layout?.kind !== 'int4' ||
    layout.packing !== 'gptq' ||
    ref.info.dtype !== 'I32' ||
    ref.info.elements === 0
  ) {
    return null;
  }
  const shape = ref.info.shape;
  const rowBytes = QZEROS_WORD_BYTES * (shape.length === 0 ? 1 : shape[shape.length - 1]);
  const counts = new Array<number>(16).fill(0);
  await forEachRowChunk(
    sourceFor(sources, ref.file, ref.info.name),
    ref.info,
    rowBytes,
    options,
    (bytes) => {
      for (const b of bytes) {
        counts[b & 0x0f]++;
        counts[b >> 4]++;
      }
    },
  );
  return counts;
}
