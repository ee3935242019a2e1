import { F4_TABLE } from '../../dtype/fp4';
import type { Fp4Layout } from '../quant-layout';
import { product } from '../shape-util';
import { chunkBytesOf, forEachRowChunk } from '../stream/row-chunks';
import type { Grid } from '../stream/row-band';
import { RowBand } from '../stream/row-band';
import { sourceFor } from '../stream/read-exact';
import { SwizzledBand } from '../stream/swizzled-band';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { combineScale, roleTensor } from './decode-types';
import { globalFor, readGlobalValues } from './global-values';

/** The magnitude bits of an E2M1 code (S EE M): a code is ±0 exactly when they are clear. */
const E2M1_MAGNITUDE_MASK = 0x7;

/**
 * Streams an NVFP4 / MXFP4 weight: W = E2M1(code) · scale[block] (· or ÷ the global scale).
 * Handles both nibble orders, row-major and swizzled scales, and blocks along either packed axis.
 */
export async function decodeFp4(
  input: DecodeInput,
  layout: Fp4Layout,
  visit: ElementVisitor,
): Promise<void> {
  const { module, sources, options } = input;
  const weight = roleTensor(module, 'weight');
  const scale = roleTensor(module, 'scale');
  const globals =
    layout.globalScale === 'none'
      ? null
      : await readGlobalValues(sources, module.tensors.globalScale);
  const es = layout.elementShape;
  const ss = layout.scaleShape;
  const cols = es[es.length - 1];
  const rows = es.length >= 2 ? es[es.length - 2] : 1;
  const slices = product(es.slice(0, -2));
  const scaleRows = ss.length >= 2 ? ss[ss.length - 2] : 1;
  const scaleCols = ss[ss.length - 1];
  const scaleSource = sourceFor(sources, scale.file, scale.info.name);
  const grid: Grid =
    layout.scaleLayout === 'row-major'
      ? new RowBand(scaleSource, scale.info, scaleCols, layout.scaleEncoding, chunkBytesOf(options))
      : new SwizzledBand(
          scaleSource,
          scale.info,
          scaleRows,
          scaleCols,
          slices,
          layout.scaleEncoding,
        );
  const highFirst = layout.nibbleOrder === 'high-first';
  const block = layout.blockSize;
  const emit = (index: number, code: number, s: number, g: number, scaleIndex: number): void => {
    const level = F4_TABLE[code];
    visit.element(index, code, level, level * combineScale(s, g, layout.globalScale));
    if (s === 0 && (code & E2M1_MAGNITUDE_MASK) !== 0) {
      visit.zeroed(scaleIndex);
    }
  };
  const source = sourceFor(sources, weight.file, weight.info.name);
  if (layout.packedAxis === 'last') {
    const rowBytes = cols / 2;
    await forEachRowChunk(
      source,
      weight.info,
      rowBytes,
      options,
      async (bytes, firstRow, count) => {
        for (let k = 0; k < count; k++) {
          const row = firstRow + k;
          await grid.ensure(row, row + 1);
          const g = globals === null ? 1 : globalFor(globals, Math.floor(row / rows));
          for (let j = 0; j < rowBytes; j++) {
            const byte = bytes[k * rowBytes + j];
            const a = highFirst ? byte >>> 4 : byte & 0xf;
            const b = highFirst ? byte & 0xf : byte >>> 4;
            const sc = Math.floor((2 * j) / block);
            const s = grid.at(row, sc);
            emit(row * cols + 2 * j, a, s, g, row * scaleCols + sc);
            emit(row * cols + 2 * j + 1, b, s, g, row * scaleCols + sc);
          }
        }
      },
    );
    return;
  }
  // Blocks along the second-last axis: weight [L, rows/2, cols], scale [L, rows/block, cols].
  const packedRows = rows / 2;
  await forEachRowChunk(source, weight.info, cols, options, async (bytes, firstRow, count) => {
    for (let k = 0; k < count; k++) {
      const stored = firstRow + k;
      const slice = Math.floor(stored / packedRows);
      const i = 2 * (stored - slice * packedRows);
      const scaleRow = slice * scaleRows + Math.floor(i / block);
      await grid.ensure(scaleRow, scaleRow + 1);
      const g = globals === null ? 1 : globalFor(globals, slice);
      for (let o = 0; o < cols; o++) {
        const byte = bytes[k * cols + o];
        const s = grid.at(scaleRow, o);
        const at = (slice * rows + i) * cols + o;
        emit(at, highFirst ? byte >>> 4 : byte & 0xf, s, g, scaleRow * scaleCols + o);
        emit(at + cols, highFirst ? byte & 0xf : byte >>> 4, s, g, scaleRow * scaleCols + o);
      }
    }
  });
}
