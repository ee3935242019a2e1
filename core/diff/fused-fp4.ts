import type { TensorInfo } from '../format/tensor-info';
import type { ByteSource } from '../io/byte-source';
import { F8_E4M3_TABLE, F8_E8M0_TABLE } from '../dtype/fp8';
import { combineScale, roleTensor } from '../quant/decode/decode-types';
import { globalFor, readGlobalValues } from '../quant/decode/global-values';
import type { Fp4Layout } from '../quant/quant-layout';
import type { QuantModule } from '../quant/quant-types';
import { product } from '../quant/shape-util';
import type { SourceMap, StreamOptions } from '../quant/stream/read-exact';
import { sourceFor, throwIfCancelled } from '../quant/stream/read-exact';
import { chunkBytesOf } from '../quant/stream/row-chunks';
import { acquireDiffInstance, releaseDiffInstance } from './wasm/diff-instance';
import { aligned, pipelineChunks, readTo } from './wasm/memory-reads';
import { FP4_PAIR_TABLE_ENTRIES, FP4_SUB_BLOCK, PairKernel } from './wasm/pair-kernel';
import type { FloatRole, PairResultFigures } from './wasm/pair-kernel';

/** Bytes per element of the float dtypes the fused kernel reads (it widens BF16 to F32 itself). */
const FLOAT_BYTES: Readonly<Partial<Record<string, number>>> = { BF16: 2, F32: 4 };

/** The geometry of a module the fused kernel can read, or null when it cannot. */
interface Geometry {
  readonly cols: number;
  /** Rows of one leading-dimension slice (the global scale is per slice). */
  readonly sliceRows: number;
  readonly totalRows: number;
  readonly xBytes: number;
  readonly scaleCols: number;
}

function geometryOf(plain: TensorInfo, module: QuantModule, layout: Fp4Layout): Geometry | null {
  const xBytes = FLOAT_BYTES[plain.dtype];
  const weight = module.tensors.weight;
  const scale = module.tensors.scale;
  const es = layout.elementShape;
  const ss = layout.scaleShape;
  if (xBytes === undefined || weight === undefined || scale === undefined || es.length < 1) {
    return null;
  }
  const cols = es[es.length - 1];
  const elements = product(es);
  const totalRows = cols > 0 ? elements / cols : 0;
  const scaleCols = ss[ss.length - 1];
  const fits =
    layout.packedAxis === 'last' &&
    layout.scaleLayout === 'row-major' &&
    layout.blockSize % FP4_SUB_BLOCK === 0 &&
    cols > 0 &&
    cols % layout.blockSize === 0 &&
    scaleCols === cols / layout.blockSize &&
    plain.elements === elements &&
    plain.nbytes === elements * xBytes &&
    weight.info.nbytes === elements / 2 &&
    scale.info.nbytes === totalRows * scaleCols &&
    scale.info.elements === totalRows * scaleCols;
  return fits
    ? { cols, sliceRows: es.length >= 2 ? es[es.length - 2] : 1, totalRows, xBytes, scaleCols }
    : null;
}

/**
 * Whether `compareFp4Fused` reads this pair: an FP4 module with its blocks along the last axis and
 * row-major one-byte scales, against a BF16 or F32 weight in the same element order, where the
 * WASM SIMD kernel runs. Everything else goes through the value streams (the JS reference).
 */
export function fusedFp4Readable(
  plain: TensorInfo,
  module: QuantModule,
  layout: Fp4Layout,
): boolean {
  return geometryOf(plain, module, layout) !== null;
}

/** One chunk's three buffers in the instance's memory: float bytes, packed nibbles, scale bytes. */
interface Slot {
  readonly x: number;
  readonly q: number;
  readonly s: number;
}

/**
 * Compares an FP4 module (NVFP4, MXFP4) with its float weight in one pass per chunk: both sides'
 * bytes are read (one chunk ahead) straight into the diff kernel's memory and the WASM kernel
 * decodes and accumulates every figure there, with the nibble-swapped cosine of the layout check.
 * The same figures as the value streams with PairMetrics (within rounding of the summation order,
 * far inside the 0.01 dB SQNR bound; tested against them). Null when WebAssembly SIMD is not
 * available or the pair is not `fusedFp4Readable`: the caller then uses the streams.
 */
export async function compareFp4Fused(
  plain: { readonly source: ByteSource; readonly info: TensorInfo },
  qSources: SourceMap,
  module: QuantModule,
  layout: Fp4Layout,
  floatIs: FloatRole,
  options: StreamOptions & { readonly onElements?: (elements: number) => void },
): Promise<PairResultFigures | null> {
  const g = geometryOf(plain.info, module, layout);
  if (g === null) {
    return null;
  }
  const wasm = acquireDiffInstance();
  if (wasm === null) {
    return null;
  }
  try {
    const weight = roleTensor(module, 'weight');
    const scale = roleTensor(module, 'scale');
    const qSource = sourceFor(qSources, weight.file, weight.info.name);
    const sSource = sourceFor(qSources, scale.file, scale.info.name);
    const rowX = g.cols * g.xBytes;
    const rowQ = g.cols / 2;
    const rowS = g.scaleCols;
    const perChunk = Math.max(1, Math.floor(chunkBytesOf(options) / rowX));
    const slotRows = Math.min(perChunk, g.totalRows);
    const slotBytes =
      aligned(slotRows * rowX) + aligned(slotRows * rowQ) + aligned(slotRows * rowS);
    const slots: Slot[] = [0, 1].map((i) => {
      const x = wasm.slotBytes + i * slotBytes;
      const q = x + aligned(slotRows * rowX);
      return { x, q, s: q + aligned(slotRows * rowQ) };
    });
    wasm.ensureBytes(wasm.slotBytes + 2 * slotBytes);
    const kernel = new PairKernel(wasm);
    const how = layout.globalScale;
    const globals =
      how === 'none' ? null : await readGlobalValues(qSources, module.tensors.globalScale);
    const codes = layout.scaleEncoding === 'e4m3' ? F8_E4M3_TABLE : F8_E8M0_TABLE;
    const table = new Float64Array(FP4_PAIR_TABLE_ENTRIES);
    let tableSlice = -1;
    const bf16 = plain.info.dtype === 'BF16';
    const high = layout.nibbleOrder === 'high-first';
    const blocksPerRow = g.cols / layout.blockSize;
    await pipelineChunks(
      Math.ceil(g.totalRows / perChunk),
      (chunk, i) => {
        const row = chunk * perChunk;
        const rows = Math.min(perChunk, g.totalRows - row);
        const slot = slots[i];
        return Promise.all([
          readTo(wasm, plain.source, plain.info, row * rowX, rows * rowX, slot.x),
          readTo(wasm, qSource, weight.info, row * rowQ, rows * rowQ, slot.q),
          readTo(wasm, sSource, scale.info, row * rowS, rows * rowS, slot.s),
        ]);
      },
      (chunk, i) => {
        throwIfCancelled(options, plain.source.name, plain.info.name);
        const row = chunk * perChunk;
        const end = Math.min(g.totalRows, row + perChunk);
        const slot = slots[i];
        for (let r = row; r < end;) {
          const slice = Math.floor(r / g.sliceRows);
          const stop = Math.min(end, (slice + 1) * g.sliceRows);
          if (slice !== tableSlice) {
            const gv = globals === null ? 1 : globalFor(globals, slice);
            for (let code = 0; code < FP4_PAIR_TABLE_ENTRIES; code++) {
              table[code] = combineScale(codes[code], gv, how);
            }
            kernel.setScales(table);
            tableSlice = slice;
          }
          const k = r - row;
          kernel.run(
            slot.x + k * rowX,
            bf16,
            slot.q + k * rowQ,
            slot.s + k * rowS,
            (stop - r) * blocksPerRow,
            layout.blockSize,
            high,
          );
          r = stop;
        }
        options.onElements?.(end * g.cols);
      },
    );
    return kernel.result(floatIs);
  } finally {
    // pipelineChunks settles only once no read can still land in the instance's memory.
    releaseDiffInstance(wasm);
  }
}
