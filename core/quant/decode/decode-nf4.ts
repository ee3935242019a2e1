import type { Nf4Layout } from '../quant-layout';
import { chunkBytesOf, forEachRowChunk } from '../stream/row-chunks';
import { RowBand } from '../stream/row-band';
import { sourceFor } from '../stream/read-exact';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { roleTensor } from './decode-types';

/** Entries of a bitsandbytes 4-bit `quant_map` (the NF4 or FP4 lookup table). */
export const BNB_QUANT_MAP_ENTRIES = 16;

/**
 * Streams a bitsandbytes 4-bit weight: HIGH nibble = element 2k (the opposite of NVFP4),
 * W[i] = quant_map[code] · absmax[i / blockSize]. Needs a plain F32 absmax (no double quantization).
 */
export async function decodeNf4(
  input: DecodeInput,
  layout: Nf4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const absmaxRef = roleTensor(module, 'scale');
  const mapRef = roleTensor(module, 'quantMap');
  const band = (ref: typeof absmaxRef): RowBand =>
    new RowBand(
      sourceFor(sources, ref.file, ref.info.name),
      ref.info,
      1,
      'float',
      chunkBytesOf(options),
    );
  const absmax = band(absmaxRef);
  const quantMap = band(mapRef);
  await quantMap.ensure(0, BNB_QUANT_MAP_ENTRIES);
  const n = layout.elementShape[0];
  const bs = layout.blockSize;
  const source = sourceFor(sources, weight.file, weight.info.name);
  const emit = (i: number, code: number): void => {
    if (i >= n) {
      return;
    }
    const block = Math.floor(i / bs);
    const level = quantMap.at(code, 0);
    const s = absmax.at(block, 0);
    visit.element(i, code, level, level * s);
    if (s === 0 && level !== 0) {
      visit.zeroed(block);
    }
  };
  await forEachRowChunk(source, weight.info, 1, options, async (bytes, first, count) => {
    const lastElement = Math.min(n, 2 * (first + count)) - 1;
    await absmax.ensure(Math.floor((2 * first) / bs), Math.floor(lastElement / bs) + 1);
    for (let k = 0; k < count; k++) {
      const byte = bytes[k];
      emit(2 * (first + k), byte >>> 4);
      emit(2 * (first + k) + 1, byte & 0xf);
    }
  });
}
