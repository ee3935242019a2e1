import { F4_TABLE } from '../dtype/fp4';
import { combineScale, roleTensor } from '../quant/decode/decode-types';
import { globalFor, readGlobalValues } from '../quant/decode/global-values';
import type { Fp4Layout } from '../quant/quant-layout';
import type { QuantModule } from '../quant/quant-types';
import { product } from '../quant/shape-util';
import type { Grid } from '../quant/stream/row-band';
import { RowBand } from '../quant/stream/row-band';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { readTensorBytes, sourceFor, throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import { SwizzledBand } from '../quant/stream/swizzled-band';
import type { NibblePairs } from './decoded-stream';
import type { ValueStream } from './value-stream';

/** A packed byte's two E2M1 levels in element order, for each of the 256 byte values. */
interface BytePairs {
  readonly first: Float64Array;
  readonly second: Float64Array;
}

let lowFirst: BytePairs | null = null;
let highFirst: BytePairs | null = null;

function bytePairs(order: Fp4Layout['nibbleOrder']): BytePairs {
  const build = (high: boolean): BytePairs => {
    const first = new Float64Array(256);
    const second = new Float64Array(256);
    for (let byte = 0; byte < 256; byte++) {
      first[byte] = F4_TABLE[high ? byte >>> 4 : byte & 0xf];
      second[byte] = F4_TABLE[high ? byte & 0xf : byte >>> 4];
    }
    return { first, second };
  };
  if (order === 'high-first') {
    highFirst ??= build(true);
    return highFirst;
  }
  lowFirst ??= build(false);
  return lowFirst;
}

/**
 * Whether `fp4Stream` reads this layout. Blocks along the packed axis must hold whole bytes (an
 * even block size: every FP4 scheme's 16 or 32); anything else goes through core's dequantizer.
 */
export function bulkFp4Readable(layout: Fp4Layout): boolean {
  return layout.blockSize > 0 && layout.blockSize % 2 === 0 && layout.elementShape.length >= 1;
}

/**
 * An NVFP4 / MXFP4 module's dequantized weight as a pull stream, decoded in bulk: per chunk of
 * whole packed rows, each block's combined scale once, then a 256-entry byte → level pair table
 * times that scale. The same values as core's `decodeFp4` (E2M1(code) · combineScale(block,
 * global)), in the same element order and with the same grids and reads of the scales; `swap`
 * also fills `alt`, the reading with each byte's two nibbles exchanged (the layout check).
 * Memory: one chunk of packed bytes and two of values (plus `alt`).
 */
export function fp4Stream(
  sources: SourceMap,
  module: QuantModule,
  layout: Fp4Layout,
  options: StreamOptions,
  swap: NibblePairs | null,
): ValueStream {
  const weight = roleTensor(module, 'weight');
  const scale = roleTensor(module, 'scale');
  const es = layout.elementShape;
  const ss = layout.scaleShape;
  const cols = es[es.length - 1];
  const rows = es.length >= 2 ? es[es.length - 2] : 1;
  const slices = product(es.slice(0, -2));
  const scaleRows = ss.length >= 2 ? ss[ss.length - 2] : 1;
  const scaleCols = ss[ss.length - 1];
  const lastAxis = layout.packedAxis === 'last';
  /** Packed bytes per stored row (one logical row, or two with blocks along the second-last axis). */
  const rowBytes = lastAxis ? cols / 2 : cols;
  const info = weight.info;
  if (!(rowBytes > 0) || info.nbytes % rowBytes !== 0) {
    throw new RangeError(`${info.name}: ${info.nbytes} bytes are not whole ${rowBytes}-byte rows`);
  }
  const totalRows = info.nbytes / rowBytes;
  const perChunk = Math.max(1, Math.floor(chunkBytesOf(options) / rowBytes));
  const pairs = bytePairs(layout.nibbleOrder);
  const how = layout.globalScale;
  const source = sourceFor(sources, weight.file, info.name);
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
  let globals: Float64Array | null | undefined;
  let row = 0;
  let out = new Float64Array(0);
  let alt: Float64Array | null = null;
  /** Per column, the combined scale of the current stored row (second-last axis). */
  let colScales = new Float64Array(0);

  const decodeLastAxis = async (
    bytes: Uint8Array,
    firstRow: number,
    count: number,
    g: Float64Array | null,
  ): Promise<void> => {
    const { first, second } = pairs;
    const blockBytes = layout.blockSize / 2;
    const values = out;
    const swapped = swap !== null ? alt : null;
    for (let k = 0; k < count; k++) {
      const r = firstRow + k;
      await grid.ensure(r, r + 1);
      const gv = g === null ? 1 : globalFor(g, Math.floor(r / rows));
      const base = k * rowBytes;
      for (let j0 = 0, sc = 0; j0 < rowBytes; j0 += blockBytes, sc++) {
        const s = combineScale(grid.at(r, sc), gv, how);
        const end = base + Math.min(rowBytes, j0 + blockBytes);
        if (swapped === null) {
          for (let j = base + j0, o = 2 * (base + j0); j < end; j++, o += 2) {
            const byte = bytes[j];
            values[o] = first[byte] * s;
            values[o + 1] = second[byte] * s;
          }
        } else {
          for (let j = base + j0, o = 2 * (base + j0); j < end; j++, o += 2) {
            const byte = bytes[j];
            const v0 = first[byte] * s;
            const v1 = second[byte] * s;
            values[o] = v0;
            values[o + 1] = v1;
            swapped[o] = v1;
            swapped[o + 1] = v0;
          }
        }
      }
    }
  };

  const decodeSecondLast = async (
    bytes: Uint8Array,
    firstRow: number,
    count: number,
    g: Float64Array | null,
  ): Promise<void> => {
    const { first, second } = pairs;
    const packedRows = rows / 2;
    const values = out;
    const scales = colScales;
    const swapped = swap !== null ? alt : null;
    for (let k = 0; k < count; k++) {
      const stored = firstRow + k;
      const slice = Math.floor(stored / packedRows);
      const i = 2 * (stored - slice * packedRows);
      const scaleRow = slice * scaleRows + Math.floor(i / layout.blockSize);
      await grid.ensure(scaleRow, scaleRow + 1);
      const gv = g === null ? 1 : globalFor(g, slice);
      for (let o = 0; o < cols; o++) {
        scales[o] = combineScale(grid.at(scaleRow, o), gv, how);
      }
      const base = k * cols;
      const at = 2 * k * cols;
      for (let o = 0; o < cols; o++) {
        const byte = bytes[base + o];
        const s = scales[o];
        values[at + o] = first[byte] * s;
        values[at + cols + o] = second[byte] * s;
      }
      if (swapped !== null) {
        for (let o = 0; o < cols; o++) {
          swapped[at + o] = values[at + cols + o];
          swapped[at + cols + o] = values[at + o];
        }
      }
    }
  };

  return {
    async next() {
      if (row >= totalRows) {
        return null;
      }
      throwIfCancelled(options, source.name, info.name);
      if (globals === undefined) {
        globals =
          how === 'none' ? null : await readGlobalValues(sources, module.tensors.globalScale);
      }
      const count = Math.min(perChunk, totalRows - row);
      const bytes = await readTensorBytes(source, info, row * rowBytes, count * rowBytes);
      const n = 2 * count * rowBytes;
      if (out.length < n) {
        out = new Float64Array(2 * Math.min(perChunk, totalRows) * rowBytes);
        alt = swap === null ? null : new Float64Array(out.length);
      }
      if (lastAxis) {
        await decodeLastAxis(bytes, row, count, globals);
      } else {
        if (colScales.length < cols) {
          colScales = new Float64Array(cols);
        }
        await decodeSecondLast(bytes, row, count, globals);
      }
      const start = row * rowBytes * 2;
      row += count;
      return {
        start,
        values: out.subarray(0, n),
        alt: alt === null ? null : alt.subarray(0, n),
      };
    },
    async close() {},
  };
}
