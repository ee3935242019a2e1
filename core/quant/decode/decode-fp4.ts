import { F4_TABLE } from '../../dtype/fp4';
import type { Fp4Layout } from '../quant-layout';
import { product } from '../shape-util';
import { chunkBytesOf, forEachRowChunk } from '../stream/row-chunks';
import type { Grid } from '../stream/row-band';
import { RowBand } from '../stream/row-band';
import { sourceFor } from '../stream/read-exact';
import { SwizzledBand } from '../stream/swizzled-band';
import { byteRoleTable, decodeByRole } from '../stream/decode-values';
import type { TensorRef } from '../quant-types';
import type { DecodeInput, ElementVisitor } from './decode-types';
import { combineScale, roleTensor } from './decode-types';
import { globalFor, readGlobalValues } from './global-values';

/** The magnitude bits of an E2M1 code (S EE M): a code is ±0 exactly when they are clear. */
const E2M1_MAGNITUDE_MASK = 0x7;

/** What the per-row loops of an FP4 weight need: the layout's geometry, the globals, the visitor. */
interface Fp4Rows {
  readonly layout: Fp4Layout;
  readonly globals: ArrayLike<number> | null;
  readonly visit: ElementVisitor;
  /** Logical columns and rows of one slice, scale rows and columns per slice. */
  readonly cols: number;
  readonly rows: number;
  readonly scaleRows: number;
  readonly scaleCols: number;
}

function fp4Rows(
  layout: Fp4Layout,
  globals: ArrayLike<number> | null,
  visit: ElementVisitor,
): Fp4Rows {
  const es = layout.elementShape;
  const ss = layout.scaleShape;
  return {
    layout,
    globals,
    visit,
    cols: es[es.length - 1],
    rows: es.length >= 2 ? es[es.length - 2] : 1,
    scaleRows: ss.length >= 2 ? ss[ss.length - 2] : 1,
    scaleCols: ss[ss.length - 1],
  };
}

function emit(r: Fp4Rows, index: number, code: number, s: number, g: number, at: number): void {
  const level = F4_TABLE[code];
  r.visit.element(index, code, level, level * combineScale(s, g, r.layout.globalScale));
  if (s === 0 && (code & E2M1_MAGNITUDE_MASK) !== 0) {
    r.visit.zeroed(at);
  }
}

/** Row `row` of a weight packed along its last axis (byte `k` of `bytes` on); its scales ensured. */
function emitLastAxisRow(r: Fp4Rows, bytes: Uint8Array, k: number, row: number, grid: Grid): void {
  const highFirst = r.layout.nibbleOrder === 'high-first';
  const block = r.layout.blockSize;
  const rowBytes = r.cols / 2;
  const g = r.globals === null ? 1 : globalFor(r.globals, Math.floor(row / r.rows));
  for (let j = 0; j < rowBytes; j++) {
    const byte = bytes[k * rowBytes + j];
    const a = highFirst ? byte >>> 4 : byte & 0xf;
    const b = highFirst ? byte & 0xf : byte >>> 4;
    const sc = Math.floor((2 * j) / block);
    const s = grid.at(row, sc);
    emit(r, row * r.cols + 2 * j, a, s, g, row * r.scaleCols + sc);
    emit(r, row * r.cols + 2 * j + 1, b, s, g, row * r.scaleCols + sc);
  }
}

/** The scale row of stored row `stored` of a weight packed along its second-last axis. */
function secondLastScaleRow(r: Fp4Rows, stored: number): number {
  const packedRows = r.rows / 2;
  const slice = Math.floor(stored / packedRows);
  const i = 2 * (stored - slice * packedRows);
  return slice * r.scaleRows + Math.floor(i / r.layout.blockSize);
}

/** Stored row `stored` of a weight packed along its second-last axis; its scale row ensured. */
function emitSecondLastRow(
  r: Fp4Rows,
  bytes: Uint8Array,
  k: number,
  stored: number,
  grid: Grid,
): void {
  const highFirst = r.layout.nibbleOrder === 'high-first';
  const cols = r.cols;
  const packedRows = r.rows / 2;
  const slice = Math.floor(stored / packedRows);
  const i = 2 * (stored - slice * packedRows);
  const scaleRow = secondLastScaleRow(r, stored);
  const g = r.globals === null ? 1 : globalFor(r.globals, slice);
  for (let o = 0; o < cols; o++) {
    const byte = bytes[k * cols + o];
    const s = grid.at(scaleRow, o);
    const at = (slice * r.rows + i) * cols + o;
    emit(r, at, highFirst ? byte >>> 4 : byte & 0xf, s, g, scaleRow * r.scaleCols + o);
    emit(r, at + cols, highFirst ? byte & 0xf : byte >>> 4, s, g, scaleRow * r.scaleCols + o);
  }
}

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
  const r = fp4Rows(layout, globals, visit);
  const slices = product(layout.elementShape.slice(0, -2));
  const scaleSource = sourceFor(sources, scale.file, scale.info.name);
  const grid: Grid =
    layout.scaleLayout === 'row-major'
      ? new RowBand(
          scaleSource,
          scale.info,
          r.scaleCols,
          layout.scaleEncoding,
          chunkBytesOf(options),
        )
      : new SwizzledBand(
          scaleSource,
          scale.info,
          r.scaleRows,
          r.scaleCols,
          slices,
          layout.scaleEncoding,
        );
  const source = sourceFor(sources, weight.file, weight.info.name);
  if (layout.packedAxis === 'last') {
    await forEachRowChunk(
      source,
      weight.info,
      r.cols / 2,
      options,
      async (bytes, firstRow, count) => {
        for (let k = 0; k < count; k++) {
          const row = firstRow + k;
          await grid.ensure(row, row + 1);
          emitLastAxisRow(r, bytes, k, row, grid);
        }
      },
    );
    return;
  }
  // Blocks along the second-last axis: weight [L, rows/2, cols], scale [L, rows/block, cols].
  await forEachRowChunk(source, weight.info, r.cols, options, async (bytes, firstRow, count) => {
    for (let k = 0; k < count; k++) {
      const stored = firstRow + k;
      const scaleRow = secondLastScaleRow(r, stored);
      await grid.ensure(scaleRow, scaleRow + 1);
      emitSecondLastRow(r, bytes, k, stored, grid);
    }
  });
}

/** A whole row-major scale in memory, already decoded (`values[row * cols + col]`). */
class ValueGrid implements Grid {
  constructor(
    readonly rows: number,
    private readonly cols: number,
    private readonly values: Float64Array,
  ) {}

  ensure(): Promise<void> {
    return Promise.resolve();
  }

  at(row: number, col: number): number {
    return this.values[row * this.cols + col];
  }
}

/**
 * A whole row-major scale of 1-byte codes in memory, read through the role's table as asked: no
 * decoded copy (a Float64Array per module of 100,000 experts) to make first.
 */
class ByteTableGrid implements Grid {
  constructor(
    readonly rows: number,
    private readonly cols: number,
    private readonly bytes: Uint8Array,
    private readonly table: Float64Array,
  ) {}

  ensure(): Promise<void> {
    return Promise.resolve();
  }

  at(row: number, col: number): number {
    return this.table[this.bytes[row * this.cols + col]];
  }
}

/**
 * `decodeFp4` of a weight whose bytes, and its row-major scale's, are in memory (the whole
 * tensors): the same visits, synchronously. False, visiting nothing, for swizzled scales, bytes
 * that are not the whole tensors, or a layout whose rows do not fit them (`decodeFp4` then reads
 * and reports it).
 */
export function decodeKnownFp4(
  layout: Fp4Layout,
  weight: TensorRef,
  weightBytes: Uint8Array,
  scale: TensorRef,
  scaleBytes: Uint8Array,
  globals: ArrayLike<number> | null,
  visit: ElementVisitor,
): boolean {
  const r = fp4Rows(layout, globals, visit);
  const rowBytes = layout.packedAxis === 'last' ? r.cols / 2 : r.cols;
  if (
    layout.scaleLayout !== 'row-major' ||
    weightBytes.length !== weight.info.nbytes ||
    scaleBytes.length !== scale.info.nbytes ||
    !Number.isInteger(rowBytes) ||
    rowBytes <= 0 ||
    weightBytes.length % rowBytes !== 0 ||
    r.scaleCols <= 0 ||
    scale.info.elements % r.scaleCols !== 0
  ) {
    return false;
  }
  const rows = scale.info.elements / r.scaleCols;
  const table = byteRoleTable(scale.info.dtype, layout.scaleEncoding);
  const grid: Grid =
    table !== null && scaleBytes.length === scale.info.elements
      ? new ByteTableGrid(rows, r.scaleCols, scaleBytes, table)
      : new ValueGrid(
          rows,
          r.scaleCols,
          decodeByRole(scaleBytes, scale.info.dtype, layout.scaleEncoding, scale.info.elements),
        );
  const storedRows = weightBytes.length / rowBytes;
  for (let row = 0; row < storedRows; row++) {
    if (layout.packedAxis === 'last') {
      emitLastAxisRow(r, weightBytes, row, row, grid);
    } else {
      emitSecondLastRow(r, weightBytes, row, row, grid);
    }
  }
  return true;
}
