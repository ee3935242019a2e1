import { F8_E4M3_TABLE, F8_E5M2_TABLE } from '../../dtype/fp8';
import type { Fp8Layout } from '../quant-layout';
import { chunkBytesOf, forEachRowChunk } from '../stream/row-chunks';
import { RowBand } from '../stream/row-band';
import { sourceFor } from '../stream/read-exact';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { roleTensor } from './decode-types';

/** The magnitude bits of an FP8 byte: a code is ±0 exactly when they are clear. */
const FP8_MAGNITUDE_MASK = 0x7f;

/** Streams an FP8 weight: W[r, c] = fp8 · scale[r / blockRows, c / blockCols] (per slice). */
export async function decodeFp8(
  input: DecodeInput,
  layout: Fp8Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const scale = roleTensor(module, 'scale');
  const es = layout.elementShape;
  const ss = layout.scaleShape;
  const rows = es[es.length - 2];
  const cols = es[es.length - 1];
  const scaleRows = ss[ss.length - 2];
  const scaleCols = ss[ss.length - 1];
  const table = layout.weightDtype === 'F8_E4M3' ? F8_E4M3_TABLE : F8_E5M2_TABLE;
  const grid = new RowBand(
    sourceFor(sources, scale.file, scale.info.name),
    scale.info,
    scaleCols,
    layout.scaleEncoding,
    chunkBytesOf(options),
  );
  const source = sourceFor(sources, weight.file, weight.info.name);
  await forEachRowChunk(source, weight.info, cols, options, async (bytes, firstRow, count) => {
    for (let k = 0; k < count; k++) {
      const row = firstRow + k;
      const slice = Math.floor(row / rows);
      const scaleRow = slice * scaleRows + Math.floor((row - slice * rows) / layout.blockRows);
      await grid.ensure(scaleRow, scaleRow + 1);
      for (let c = 0; c < cols; c++) {
        const code = bytes[k * cols + c];
        const sc = Math.floor(c / layout.blockCols);
        const s = grid.at(scaleRow, sc);
        const level = table[code];
        visit.element(row * cols + c, code, level, level * s);
        if (s === 0 && (code & FP8_MAGNITUDE_MASK) !== 0) {
          visit.zeroed(scaleRow * scaleCols + sc);
        }
      }
    }
  });
}
